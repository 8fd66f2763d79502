import {
  accountEventTypes,
  accountStreamPrefix,
  decodeAccountEvent,
  ERASED,
  formatMinor,
  isAccountEventType,
  type AccountEvent,
  type AccountEventType,
  type JsonObject,
  type Open,
} from '../domain/index.ts';
import { createKeyStore, openerFor, type RedisClient } from '../platform/index.ts';
import { auditEntryOf } from './audit-entry.ts';
import { ACCOUNT_SNAPSHOT_FIELDS, refreshAccountGlobals } from './account-globals.ts';
import { UnhandledEventError, type DeliveredEvent, type PlannedApply, type Projection, type RedisEffect } from './projection.ts';
import { accountKeys, type ReadModelNamespace } from './read-model-keys.ts';

export interface AccountsProjectionOptions {
  /** Tests use their own name and stream prefix so that runs sharing one server never meet. */
  readonly name?: string;
  readonly version?: number;
  readonly streamPrefix?: string;
  /** Turns a stored event into a domain event; the domain's codec (with its upcasters) unless replaced. */
  readonly decode?: (type: AccountEventType, schemaVersion: number, data: JsonObject, open?: Open) => AccountEvent;
}

/** What the transactions sorted set holds per money movement. */
export interface TransactionEntry {
  readonly eventId: string;
  readonly revision: number;
  readonly type: 'MoneyDeposited' | 'MoneyWithdrawn';
  /** Signed decimal: negative for withdrawals. */
  readonly amount: string;
  readonly balanceAfter: string;
  readonly occurredAt: string;
  readonly actor: string | null;
  readonly reason: string | null;
  readonly correlationId: string | null;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const stringOr = (value: unknown, fallback: string | null): string | null => (typeof value === 'string' ? value : fallback);

function decodeWith(options: AccountsProjectionOptions) {
  const decode = options.decode ?? decodeAccountEvent;
  return (delivered: DeliveredEvent, open: Open | undefined): { event: AccountEvent; metadata: JsonObject } => {
    if (!isAccountEventType(delivered.type)) throw new Error(`${delivered.type} is not an account event`);
    if (!isObject(delivered.data)) throw new Error('data is not a JSON object');
    const metadata = isObject(delivered.metadata) ? delivered.metadata : {};
    // Events written before metadata carried a schemaVersion are version 1 by definition.
    const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
    return { event: decode(delivered.type, schemaVersion, delivered.data, open), metadata };
  };
}

/**
 * The opener for an event that carries sealed personal data, with the account's key as Redis holds it
 * now: a destroyed key reads as erased, also when the projection is rebuilt later. Undefined when the
 * event has nothing sealed, which saves the lookup for all other events.
 */
async function openerForEvent(redis: RedisClient, delivered: DeliveredEvent, accountId: string): Promise<Open | undefined> {
  const data = delivered.data;
  if (delivered.type !== 'AccountOpened' || !isObject(data) || !isObject(data.holderName)) return undefined;
  return openerFor(await createKeyStore(redis).find(accountId), accountId);
}

/** Revisions padded so that history entries of the same millisecond sort by revision. */
const historyMember = (revision: bigint, balanceMinor: bigint): string => `${revision.toString().padStart(12, '0')}:${balanceMinor}`;

function planAccountEvent(ns: ReadModelNamespace, delivered: DeliveredEvent, event: AccountEvent, metadata: JsonObject): RedisEffect[] {
  const keys = accountKeys(ns, event.data.accountId);
  const occurredAt = stringOr(metadata.occurredAt, null) ?? delivered.created.toISOString();
  const occurredAtMs = Date.parse(occurredAt);
  switch (event.type) {
    case 'AccountOpened': {
      const { accountId, holderName, currency } = event.data;
      const fields = {
        id: accountId, holder: holderName, currency, balance: formatMinor(0n, currency), balanceMinor: '0',
        status: 'open', openedAt: occurredAt, updatedAt: occurredAt, transactionCount: '0',
      };
      return [
        { kind: 'hset', key: keys.summary, fields },
        { kind: 'zadd', key: keys.balanceHistory, score: occurredAtMs, member: historyMember(delivered.revision, 0n) },
      ];
    }
    case 'MoneyDeposited':
    case 'MoneyWithdrawn': {
      const { amount, balanceAfter } = event.data;
      const signed = event.type === 'MoneyDeposited' ? amount.minor : -amount.minor;
      const entry: TransactionEntry = {
        eventId: delivered.eventId, revision: Number(delivered.revision), type: event.type,
        amount: formatMinor(signed, amount.currency), balanceAfter: formatMinor(balanceAfter.minor, balanceAfter.currency),
        occurredAt, actor: stringOr(metadata.actor, null), reason: stringOr(metadata.reason, null),
        correlationId: stringOr(metadata.$correlationId, null),
      };
      return [
        { kind: 'hset', key: keys.summary, fields: { balance: entry.balanceAfter, balanceMinor: String(balanceAfter.minor), updatedAt: occurredAt } },
        { kind: 'hincrby', key: keys.summary, field: 'transactionCount', by: 1 },
        { kind: 'zadd', key: keys.transactions, score: Number(delivered.revision), member: JSON.stringify(entry) },
        { kind: 'zadd', key: keys.balanceHistory, score: occurredAtMs, member: historyMember(delivered.revision, balanceAfter.minor) },
      ];
    }
    case 'AccountClosed':
      return [{ kind: 'hset', key: keys.summary, fields: { status: 'closed', updatedAt: occurredAt } }];
    case 'HolderForgotten':
      return [{ kind: 'hset', key: keys.summary, fields: { holder: ERASED, updatedAt: occurredAt } }];
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** The accounts read models: summary, transactions, balance history per account; stats and indexes globally. */
export function defineAccountsProjection(options: AccountsProjectionOptions = {}): Projection {
  const ns = { projection: options.name ?? 'accounts', version: options.version ?? 1 };
  const streamPrefix = options.streamPrefix ?? accountStreamPrefix;
  const decode = decodeWith(options);
  /** Decodes and checks an event, or throws UnhandledEventError; without `open`, sealed names read as erased. */
  const checkedEvent = (delivered: DeliveredEvent, open: Open | undefined) => {
    const accountId = delivered.streamName.slice(streamPrefix.length);
    let decoded: ReturnType<typeof decode>;
    try {
      decoded = decode(delivered, open);
    } catch (error) {
      throw new UnhandledEventError(delivered, error);
    }
    if (decoded.event.data.accountId !== accountId) {
      throw new UnhandledEventError(delivered, new Error(`event names account ${decoded.event.data.accountId}`));
    }
    return { accountId, decoded };
  };
  return {
    name: ns.projection,
    version: ns.version,
    atVersion: (version) => defineAccountsProjection({ ...options, version }),
    streamPrefix,
    eventTypes: accountEventTypes,
    plan: async (delivered, redis): Promise<PlannedApply> => {
      // Outside checkedEvent's try: a failed key lookup is Redis being away, to be retried, not a bad event.
      const open = await openerForEvent(redis, delivered, delivered.streamName.slice(streamPrefix.length));
      const { accountId, decoded } = checkedEvent(delivered, open);
      const keys = accountKeys(ns, accountId);
      const audit = auditEntryOf(delivered, decoded.event, decoded.metadata);
      const effects = [
        ...planAccountEvent(ns, delivered, decoded.event, decoded.metadata),
        { kind: 'zadd' as const, key: keys.audit, score: Number(delivered.revision), member: JSON.stringify(audit) },
      ];
      return { aggregateId: accountId, revisionKey: keys.summary, effects };
    },
    revisionKeyOf: (delivered) => accountKeys(ns, checkedEvent(delivered, undefined).accountId).summary,
    snapshotFields: ACCOUNT_SNAPSHOT_FIELDS,
    refreshGlobals: (redis, snapshots) => refreshAccountGlobals(redis, ns, snapshots),
  };
}
