import { oneSlotPipeline, type RedisClient } from '../platform/index.ts';
import { accountKeys, activeVersionKey, globalKeys, type ReadModelNamespace } from '../projector/read-model-keys.ts';

/** An account summary as the projector stores it (see the projector's account-projection.ts). */
export interface AccountSummary {
  readonly id: string;
  readonly holder: string;
  readonly currency: string;
  readonly balance: string;
  readonly balanceMinor: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly transactionCount: number;
  readonly revision: number;
}

export interface GlobalStats {
  readonly openAccounts: number;
  readonly closedAccounts: number;
  readonly events: number;
  /** Total balance per currency, in minor units. */
  readonly balances: ReadonlyMap<string, bigint>;
}

function toSummary(hash: Record<string, string>): AccountSummary | undefined {
  const { id, holder, currency, balance, balanceMinor, status, openedAt, updatedAt, transactionCount, revision } = hash;
  // A hash without these is not (yet) an account: nothing was opened under that id.
  if (!id || !currency || !balance || !balanceMinor || !openedAt || revision === undefined) return undefined;
  if (status !== 'open' && status !== 'closed') return undefined;
  return {
    id, holder: holder ?? '', currency, balance, balanceMinor, status, openedAt, updatedAt: updatedAt ?? openedAt,
    transactionCount: Number(transactionCount ?? 0), revision: Number(revision),
  };
}

/**
 * Reads one projection's read models from its active version. The active-version pointer is cached
 * briefly: reading it on every request would add a round trip to each query, and a version swap is
 * an operator's rare, deliberate step that may take a moment to be seen.
 */
export class ActiveReadModels {
  readonly #redis: RedisClient;
  readonly #projection: string;
  readonly #activeVersionTtlMs: number;
  #active: { ns: ReadModelNamespace; readAt: number } | undefined;

  constructor(redis: RedisClient, projection: string, activeVersionTtlMs = 1_000) {
    this.#redis = redis;
    this.#projection = projection;
    this.#activeVersionTtlMs = activeVersionTtlMs;
  }

  get redis(): RedisClient {
    return this.#redis;
  }

  async namespace(): Promise<ReadModelNamespace> {
    const now = Date.now();
    if (this.#active !== undefined && now - this.#active.readAt < this.#activeVersionTtlMs) return this.#active.ns;
    const pointer = await this.#redis.get(activeVersionKey(this.#projection));
    // No pointer: no worker has started yet, so version 1 (the first a worker makes active) is the one to read.
    const ns = { projection: this.#projection, version: pointer === null ? 1 : Number(pointer) };
    this.#active = { ns, readAt: now };
    return ns;
  }

}

/** The accounts projection's read models. */
export class AccountReadModels extends ActiveReadModels {
  async accountKeys(accountId: string) {
    return accountKeys(await this.namespace(), accountId);
  }

  async globalKeys() {
    return globalKeys(await this.namespace());
  }

  /** The last stream revision applied to the account's read model; undefined when none was. */
  async storedRevision(accountId: string): Promise<number | undefined> {
    const revision = await this.redis.hGet((await this.accountKeys(accountId)).summary, 'revision');
    return revision === null || revision === undefined ? undefined : Number(revision);
  }

  /**
   * Summaries of many accounts, in the order asked. Separate commands sent in the same tick: the client
   * writes them in one go (one round trip), and on a cluster sends each to the node of its account.
   */
  async summaries(accountIds: readonly string[]): Promise<(AccountSummary | undefined)[]> {
    if (accountIds.length === 0) return [];
    const ns = await this.namespace();
    const replies = await Promise.all(accountIds.map((id) => this.redis.hGetAll(accountKeys(ns, id).summary)));
    return replies.map(toSummary);
  }

  async summary(accountId: string): Promise<AccountSummary | undefined> {
    const [summary] = await this.summaries([accountId]);
    return summary;
  }

  /** The account's summary and its latest balance-history entry at or before `atMs`, in one round trip. */
  async balanceAt(accountId: string, atMs: number): Promise<{ summary: AccountSummary | undefined; entry: { revision: number; balanceMinor: bigint } | undefined }> {
    const keys = await this.accountKeys(accountId);
    const pipeline = oneSlotPipeline(this.redis, 'balanceAt', [keys.summary, keys.balanceHistory]);
    pipeline.hGetAll(keys.summary);
    // Members are `<zero-padded revision>:<balance>`, so of entries in the same millisecond the highest
    // revision sorts last, and a reverse range starting at `atMs` (inclusive) finds it first.
    pipeline.zRange(keys.balanceHistory, atMs, '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: 1 } });
    const [hash, latest] = (await pipeline.execAsPipeline()) as unknown as [Record<string, string>, string[]];
    const member = latest[0];
    const match = member === undefined ? null : /^(\d+):(-?\d+)$/.exec(member);
    const entry = match === null ? undefined : { revision: Number(match[1]), balanceMinor: BigInt(match[2]!) };
    return { summary: toSummary(hash), entry };
  }

  /** Audit entries (JSON) of the account after a stream revision, oldest first. */
  async auditEntries(accountId: string, afterRevision: number, limit: number): Promise<string[]> {
    const keys = await this.accountKeys(accountId);
    return this.redis.zRange(keys.audit, `(${afterRevision}`, '+inf', { BY: 'SCORE', LIMIT: { offset: 0, count: limit } });
  }

  async stats(): Promise<GlobalStats> {
    const hash = await this.redis.hGetAll((await this.globalKeys()).stats);
    const balances = new Map<string, bigint>();
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith('balance:')) balances.set(field.slice('balance:'.length), BigInt(value));
    }
    return {
      openAccounts: Number(hash['accounts:open'] ?? 0),
      closedAccounts: Number(hash['accounts:closed'] ?? 0),
      events: Number(hash.events ?? 0),
      balances,
    };
  }
}
