import { formatMoney, type AccountEvent, type JsonObject } from '../domain/index.ts';
import type { DeliveredEvent } from './projection.ts';

/** One event as an auditor reads it: who did what, when and why. */
export interface AuditEntry {
  readonly revision: number;
  readonly eventId: string;
  /** What: the event type and its data (as JSON), without personal data. */
  readonly type: AccountEvent['type'];
  readonly data: string;
  /** When the command was accepted. */
  readonly occurredAt: string;
  /** Who: the authenticated subject that sent the command. */
  readonly actor: string | null;
  /** Why: the reason the client gave, and the command and request that caused the event. */
  readonly reason: string | null;
  readonly causationId: string | null;
  readonly correlationId: string | null;
}

const stringOr = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The event's data for the audit trail. The holder's name is left out on purpose: the trail is kept
 * for good, and personal data must be erasable (it stays readable, while its key lives, in the summary).
 */
function auditData(event: AccountEvent): JsonObject {
  switch (event.type) {
    case 'AccountOpened':
      return { accountId: event.data.accountId, currency: event.data.currency };
    case 'MoneyDeposited':
    case 'MoneyWithdrawn':
      return {
        accountId: event.data.accountId,
        amount: formatMoney(event.data.amount),
        balanceAfter: formatMoney(event.data.balanceAfter),
        currency: event.data.amount.currency,
      };
    case 'AccountClosed':
    case 'HolderForgotten':
      return { accountId: event.data.accountId };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function auditEntryOf(delivered: DeliveredEvent, event: AccountEvent, metadata: JsonObject): AuditEntry {
  return {
    revision: Number(delivered.revision),
    eventId: delivered.eventId,
    type: event.type,
    data: JSON.stringify(auditData(event)),
    occurredAt: stringOr(metadata.occurredAt) ?? delivered.created.toISOString(),
    actor: stringOr(metadata.actor),
    reason: stringOr(metadata.reason),
    causationId: stringOr(metadata.$causationId),
    correlationId: stringOr(metadata.$correlationId),
  };
}
