import {
  decodeTransferEvent,
  formatMoney,
  isTransferEventType,
  transferEventTypes,
  transferStreamPrefix,
  type TransferEvent,
} from '../domain/index.ts';
import { decodeOwnEvent, deliveredDecoder, stringOr } from './delivered-decoder.ts';
import type { DeliveredEvent, PlannedApply, Projection, RedisEffect } from './projection.ts';
import { transferKeys, type ReadModelNamespace } from './read-model-keys.ts';

/** What the steps sorted set holds per transfer event. */
export interface TransferStepEntry {
  readonly revision: number;
  readonly type: TransferEvent['type'];
  readonly occurredAt: string;
  /** Why the account refused, for TransferRejected, TransferCreditRefused and TransferFailed. */
  readonly code: string | null;
  readonly reason: string | null;
}

/** The status a transfer shows after each event; `compensating` while the source is being refunded. */
const statusAfter = {
  TransferRequested: 'requested',
  TransferDebited: 'debited',
  TransferCompleted: 'completed',
  TransferRejected: 'rejected',
  TransferCreditRefused: 'compensating',
  TransferFailed: 'failed',
} as const satisfies Record<TransferEvent['type'], string>;

export type TransferReadStatus = (typeof statusAfter)[TransferEvent['type']];

const decode = deliveredDecoder('a transfer', isTransferEventType, decodeTransferEvent);
const ownEvent = (delivered: DeliveredEvent) =>
  decodeOwnEvent(delivered, decode, { noun: 'transfer', streamPrefix: transferStreamPrefix, idOf: (own) => own.data.transferId });

function planTransferEvent(ns: ReadModelNamespace, delivered: DeliveredEvent, event: TransferEvent, metadata: Record<string, unknown>): RedisEffect[] {
  const keys = transferKeys(ns, event.data.transferId);
  const occurredAt = stringOr(metadata.occurredAt, null) ?? delivered.created.toISOString();
  const refusal = 'code' in event.data ? { code: event.data.code, reason: event.data.reason } : { code: null, reason: null };
  const step: TransferStepEntry = { revision: Number(delivered.revision), type: event.type, occurredAt, ...refusal };
  const fields: Record<string, string> = { status: statusAfter[event.type], updatedAt: occurredAt };
  if (event.type === 'TransferRequested') {
    const { transferId, fromAccountId, toAccountId, amount } = event.data;
    Object.assign(fields, {
      id: transferId, fromAccountId, toAccountId, amount: formatMoney(amount), currency: amount.currency, requestedAt: occurredAt,
      note: stringOr(metadata.reason, null) ?? '',
    });
  }
  if (refusal.code !== null) Object.assign(fields, { failureCode: refusal.code, failureReason: refusal.reason });
  return [
    { kind: 'hset', key: keys.summary, fields },
    { kind: 'zadd', key: keys.steps, score: Number(delivered.revision), member: JSON.stringify(step) },
  ];
}

/** The transfers read models: a summary and the steps per transfer; no global models. */
export function defineTransfersProjection(options: { readonly name?: string; readonly version?: number } = {}): Projection {
  const ns = { projection: options.name ?? 'transfers', version: options.version ?? 1 };
  return {
    name: ns.projection,
    version: ns.version,
    atVersion: (version) => defineTransfersProjection({ ...options, version }),
    streamPrefix: transferStreamPrefix,
    eventTypes: transferEventTypes,
    // Transfer events hold no personal data, so planning needs nothing from Redis.
    plan: async (delivered): Promise<PlannedApply> => {
      const { aggregateId, event, metadata } = ownEvent(delivered);
      return { aggregateId, revisionKey: transferKeys(ns, aggregateId).summary, effects: planTransferEvent(ns, delivered, event, metadata) };
    },
    revisionKeyOf: (delivered) => transferKeys(ns, ownEvent(delivered).aggregateId).summary,
    snapshotFields: [],
    refreshGlobals: async () => {},
  };
}
