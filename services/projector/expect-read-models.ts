// Test support: what the read models must hold, computed by reading every stream back and folding
// it with the domain's evolve, compared field by field with what the workers wrote to Redis.
import type { EventStoreDBClient } from '@eventstore/db-client';
import { expect } from 'vitest';
import {
  decodeAccountEvent,
  ERASED,
  evolve,
  formatMinor,
  initialState,
  isAccountEventType,
  type AccountEvent,
  type AccountEventType,
  type AccountState,
  type JsonObject,
  type Open,
} from '../domain/index.ts';
import { createKeyStore, openerFor, type RedisClient } from '../platform/index.ts';
import type { TransactionEntry } from './account-projection.ts';
import { namespaceOf, type Projection } from './projection.ts';
import { accountKeys, globalKeys } from './read-model-keys.ts';

interface FoldedAccount {
  readonly state: Exclude<AccountState, { status: 'unopened' }>;
  readonly summary: Record<string, string>;
  readonly transactions: TransactionEntry[];
  readonly history: Array<{ value: string; score: number }>;
}

type Decode = (type: AccountEventType, schemaVersion: number, data: JsonObject, open?: Open) => AccountEvent;

async function foldStream(client: EventStoreDBClient, stream: string, decode: Decode, open: Open): Promise<FoldedAccount> {
  let state: AccountState = initialState;
  let holder = '';
  let openedAt = '';
  let updatedAt = '';
  let revision = -1n;
  const transactions: TransactionEntry[] = [];
  const history: Array<{ value: string; score: number }> = [];
  for await (const { event } of client.readStream(stream)) {
    if (event === undefined || !isAccountEventType(event.type)) throw new Error(`unexpected event in ${stream}`);
    const metadata = event.metadata as JsonObject;
    const domainEvent = decode(event.type, metadata.schemaVersion as number, event.data as JsonObject, open);
    state = evolve(state, domainEvent);
    revision = event.revision;
    updatedAt = metadata.occurredAt as string;
    const member = (balance: bigint) => ({ value: `${String(revision).padStart(12, '0')}:${balance}`, score: Date.parse(updatedAt) });
    if (domainEvent.type === 'HolderForgotten') holder = ERASED;
    if (domainEvent.type === 'AccountOpened') {
      holder = domainEvent.data.holderName;
      openedAt = updatedAt;
      history.push(member(0n));
    }
    if (domainEvent.type === 'MoneyDeposited' || domainEvent.type === 'MoneyWithdrawn') {
      const { amount, balanceAfter, transfer } = domainEvent.data;
      transactions.push({
        eventId: event.id, revision: Number(revision), type: domainEvent.type,
        amount: formatMinor(domainEvent.type === 'MoneyDeposited' ? amount.minor : -amount.minor, amount.currency),
        balanceAfter: formatMinor(balanceAfter.minor, balanceAfter.currency), occurredAt: updatedAt,
        actor: (metadata.actor as string) ?? null, reason: (metadata.reason as string | undefined) ?? null,
        correlationId: (metadata.$correlationId as string) ?? null,
        transferId: transfer?.transferId ?? null, counterpartyAccountId: transfer?.counterpartyAccountId ?? null, transferLeg: transfer?.leg ?? null,
      });
      history.push(member(balanceAfter.minor));
    }
  }
  if (state.status === 'unopened') throw new Error(`${stream} never opened`);
  const summary = {
    id: state.accountId, holder, currency: state.currency, balance: formatMinor(state.balance, state.currency),
    balanceMinor: String(state.balance), status: state.status, openedAt, updatedAt, revision: String(revision),
    transactionCount: String(transactions.length),
  };
  return { state, summary, transactions, history };
}

/** Every per-account read model equals the fold of its stream; stats and indexes equal the sums over accounts. */
export async function expectReadModelsMatchStreams(
  client: EventStoreDBClient,
  redis: RedisClient,
  projection: Projection,
  accountIds: readonly string[],
  options: { decode?: Decode; checkGlobals?: boolean } = {},
) {
  const decode = options.decode ?? decodeAccountEvent;
  const ns = namespaceOf(projection);
  const openCounts = { open: 0, closed: 0 };
  const balances = new Map<string, bigint>();
  let events = 0;
  for (const id of accountIds) {
    // Sealed holder names open with the key the key store holds now, as the projection's do.
    const open = openerFor(await createKeyStore(redis).find(id), id);
    const folded = await foldStream(client, projection.streamPrefix + id, decode, open);
    const keys = accountKeys(ns, id);
    expect(await redis.hGetAll(keys.summary)).toEqual(folded.summary);
    const transactions = (await redis.zRange(keys.transactions, 0, -1)).map((entry) => JSON.parse(entry) as TransactionEntry);
    expect(transactions).toEqual(folded.transactions);
    expect(await redis.zRangeWithScores(keys.balanceHistory, 0, -1)).toEqual(folded.history);

    openCounts[folded.state.status]++;
    balances.set(folded.state.currency, (balances.get(folded.state.currency) ?? 0n) + folded.state.balance);
    events += Number(folded.summary.revision) + 1;
    const global = globalKeys(ns);
    const openedAtMs = Date.parse(folded.summary.openedAt!);
    expect(await redis.zScore(global.byOpenedAt, id)).toBe(openedAtMs);
    expect(await redis.zScore(global.byBalance(folded.state.currency), id)).toBe(Number(folded.state.balance));
    expect(await redis.zScore(global.byStatus(folded.state.status, folded.state.currency), id)).toBe(openedAtMs);
    const otherStatus = folded.state.status === 'open' ? 'closed' : 'open';
    expect(await redis.zScore(global.byStatus(otherStatus, folded.state.currency), id)).toBeNull();
  }
  if (options.checkGlobals === false) return;
  const global = globalKeys(ns);
  const expectedStats: Record<string, string> = { 'accounts:open': String(openCounts.open), events: String(events) };
  if (openCounts.closed > 0) expectedStats['accounts:closed'] = String(openCounts.closed);
  for (const [currency, total] of balances) expectedStats[`balance:${currency}`] = String(total);
  const stats = await redis.hGetAll(global.stats);
  expect(stats).toEqual(expectedStats);
  expect(await redis.zCard(global.byOpenedAt)).toBe(accountIds.length);
}
