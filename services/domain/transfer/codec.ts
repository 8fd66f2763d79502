import { z } from 'zod';
import type { JsonObject } from '../json.ts';
import { currencyCodes, formatMoney, parseStoredMinor, type CurrencyCode, type Money } from '../money.ts';
import { transferEventTypes, type TransferEvent, type TransferEventType } from './events.ts';
import { transferUpcasters } from './upcasters.ts';

/** A transfer event as stored: JSON data at the current schema version, amounts as decimal strings. */
export interface StoredTransferEvent {
  readonly type: TransferEventType;
  readonly schemaVersion: number;
  readonly data: JsonObject;
}

const currency = z.enum(currencyCodes as [CurrencyCode, ...CurrencyCode[]]);
const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const refusal = { code: z.string(), reason: z.string() };
const storedSchemas = {
  TransferRequested: z.object({ transferId: z.string(), fromAccountId: z.string(), toAccountId: z.string(), amount: decimal, currency }),
  TransferRejected: z.object({ transferId: z.string(), ...refusal }),
  TransferDebited: z.object({ transferId: z.string(), fromAccountId: z.string(), amount: decimal, currency }),
  TransferCompleted: z.object({ transferId: z.string(), toAccountId: z.string(), amount: decimal, currency }),
  TransferCreditRefused: z.object({ transferId: z.string(), ...refusal }),
  TransferFailed: z.object({ transferId: z.string(), fromAccountId: z.string(), amount: decimal, currency, ...refusal }),
} satisfies Record<TransferEventType, z.ZodType>;

export function isTransferEventType(type: string): type is TransferEventType {
  return (transferEventTypes as readonly string[]).includes(type);
}

/** Amounts are stored as `{ amount: "12.50", currency: "EUR" }`, as in account events. */
const storeAmount = (amount: Money) => ({ amount: formatMoney(amount), currency: amount.currency });
function withMoney<Stored extends { amount: string; currency: CurrencyCode }>(stored: Stored): Omit<Stored, 'amount' | 'currency'> & { amount: Money } {
  const { amount, currency: code, ...rest } = stored;
  return { ...rest, amount: { minor: parseStoredMinor(amount, code), currency: code } };
}

export function encodeTransferEvent(event: TransferEvent): StoredTransferEvent {
  const schemaVersion = transferUpcasters.currentVersion(event.type);
  const data: JsonObject =
    'amount' in event.data ? { ...event.data, ...storeAmount(event.data.amount) } : { ...event.data };
  return { type: event.type, schemaVersion, data };
}

/** Reads a stored event of any known schema version: upcasts it, then checks its shape. */
export function decodeTransferEvent(type: TransferEventType, schemaVersion: number, data: JsonObject): TransferEvent {
  const current = transferUpcasters.upcast(type, schemaVersion, data);
  switch (type) {
    case 'TransferRequested':
      return { type, data: withMoney(storedSchemas[type].parse(current)) };
    case 'TransferDebited':
      return { type, data: withMoney(storedSchemas[type].parse(current)) };
    case 'TransferCompleted':
      return { type, data: withMoney(storedSchemas[type].parse(current)) };
    case 'TransferFailed':
      return { type, data: withMoney(storedSchemas[type].parse(current)) };
    case 'TransferRejected':
    case 'TransferCreditRefused':
      return { type, data: storedSchemas[type].parse(current) };
    default: {
      const _exhaustive: never = type;
      return _exhaustive;
    }
  }
}
