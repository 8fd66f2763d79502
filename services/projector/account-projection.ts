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
import { decodeOwnEvent, deliveredDecoder, isObject, stringOr } from './delivered-decoder.ts';
import type { DeliveredEvent, PlannedApply, Projection, RedisEffect } from './projection.ts';
import { accountKeys, type AccountKeys } from './read-model-keys.ts';

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
  /** The transfer this movement was a leg of, and the account on its other side; absent before transfers existed. */
  readonly transferId?: string | null;
  readonly counterpartyAccountId?: string | null;
  readonly transferLeg?: 'debit' | 'credit' | 'refund' | null;
}

const decodeWith = (options: AccountsProjectionOptions) =>
  deliveredDecoder('an account', isAccountEventType, options.decode ?? decodeAccountEvent);

/**
 * The opener for an event that carries sealed personal data, with the account's key as Redis holds it
 * now: a destroyed key reads as erased, also when the projection is rebuilt later. Undefined when the
 * event has nothing sealed, which saves the lookup for all other events.
 */
function openerForEvent(redis: RedisClient, delivered: DeliveredEvent, accountId: string): Promise<Open> | undefined {
  const data = delivered.data;
  if (delivered.type !== 'AccountOpened' || !isObject(data) || !isObject(data.holderName)) return undefined;
  return createKeyStore(redis).find(accountId).then((key) => openerFor(key, accountId));
}

/** Revisions padded so that history entries of the same millisecond sort by revision. */
const historyMember = (revision: bigint, balanceMinor: bigint): string => `${revision.toString().padStart(12, '0')}:${balanceMinor}`;

function planAccountEvent(keys: AccountKeys, delivered: DeliveredEvent, event: AccountEvent, metadata: JsonObject): RedisEffect[] {
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
      const { amount, balanceAfter, transfer } = event.data;
      const signed = event.type === 'MoneyDeposited' ? amount.minor : -amount.minor;
      const entry: TransactionEntry = {
        eventId: delivered.eventId, revision: Number(delivered.revision), type: event.type,
        amount: formatMinor(signed, amount.currency), balanceAfter: formatMinor(balanceAfter.minor, balanceAfter.currency),
        occurredAt, actor: stringOr(metadata.actor, null), reason: stringOr(metadata.reason, null),
        correlationId: stringOr(metadata.$correlationId, null),
        transferId: transfer?.transferId ?? null, counterpartyAccountId: transfer?.counterpartyAccountId ?? null, transferLeg: transfer?.leg ?? null,
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
  const aggregate = { noun: 'account', streamPrefix, idOf: (own: AccountEvent) => own.data.accountId };
  /** Decodes and checks an event, or throws UnhandledEventError; without `open`, sealed names read as erased. */
  const ownEvent = (delivered: DeliveredEvent, open: Open | undefined) => decodeOwnEvent(delivered, decode, aggregate, open);
  return {
    name: ns.projection,
    version: ns.version,
    atVersion: (version) => defineAccountsProjection({ ...options, version }),
    streamPrefix,
    eventTypes: accountEventTypes,
    plan: async (delivered, redis): Promise<PlannedApply> => {
      // Before decoding: a failed key lookup is Redis being away, to be retried, not a bad event.
      // Only an event with sealed personal data waits for Redis; the rest are planned without awaiting anything.
      const opening = openerForEvent(redis, delivered, delivered.streamName.slice(streamPrefix.length));
      const { aggregateId, event, metadata } = ownEvent(delivered, opening === undefined ? undefined : await opening);
      const keys = accountKeys(ns, aggregateId);
      const effects = planAccountEvent(keys, delivered, event, metadata);
      effects.push({ kind: 'zadd', key: keys.audit, score: Number(delivered.revision), member: JSON.stringify(auditEntryOf(delivered, event, metadata)) });
      return { aggregateId, revisionKey: keys.summary, effects };
    },
    revisionKeyOf: (delivered) => accountKeys(ns, ownEvent(delivered, undefined).aggregateId).summary,
    snapshotFields: ACCOUNT_SNAPSHOT_FIELDS,
    refreshGlobals: (redis, snapshots) => refreshAccountGlobals(redis, ns, snapshots),
  };
}
