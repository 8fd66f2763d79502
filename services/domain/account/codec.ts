import { z } from 'zod';
import type { JsonObject } from '../json.ts';
import { currencyCodes, exponentOf, formatMoney, parseStoredMinor, type CurrencyCode } from '../money.ts';
import { ERASED, type Open, type Seal, type SealedText } from '../personal-data.ts';
import { accountEventTypes, type AccountEvent, type AccountEventType } from './events.ts';
import { accountUpcasters } from './upcasters.ts';

/** An account event as stored: JSON data at the current schema version, amounts as decimal strings. */
export interface StoredAccountEvent {
  readonly type: AccountEventType;
  readonly schemaVersion: number;
  readonly data: JsonObject;
}

const currency = z.enum(currencyCodes as [CurrencyCode, ...CurrencyCode[]]);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const sealed = z.object({ alg: z.literal('A256GCM'), iv: z.string(), ct: z.string(), tag: z.string() });
// Optional and additive: events written before transfers existed simply have no link (still version 1).
const transferLink = z.object({ transferId: z.string(), counterpartyAccountId: z.string(), leg: z.enum(['debit', 'credit', 'refund']) }).optional();
const storedSchemas = {
  // A plain holderName is what v2 stored; v3 written by the command side is sealed.
  AccountOpened: z.object({ accountId: z.string(), holderName: z.union([z.string(), sealed]), currency, minorUnits: z.number().int() }),
  MoneyDeposited: z.object({ accountId: z.string(), amount: decimal, balanceAfter: decimal, currency, transfer: transferLink }),
  MoneyWithdrawn: z.object({ accountId: z.string(), amount: decimal, balanceAfter: decimal, currency, transfer: transferLink }),
  AccountClosed: z.object({ accountId: z.string() }),
  HolderForgotten: z.object({ accountId: z.string() }),
} satisfies Record<AccountEventType, z.ZodType>;

export function isAccountEventType(type: string): type is AccountEventType {
  return (accountEventTypes as readonly string[]).includes(type);
}

/**
 * The stored form of an event. `seal` seals the holder's personal data with the account's key; the
 * command side always passes it. Without it the name is stored in plain text, which only test and
 * benchmark fixtures do.
 */
export function encodeAccountEvent(event: AccountEvent, seal?: Seal): StoredAccountEvent {
  const schemaVersion = accountUpcasters.currentVersion(event.type);
  switch (event.type) {
    case 'AccountOpened': {
      const sealedName: SealedText | undefined = seal?.(event.data.holderName);
      const holderName = sealedName === undefined ? event.data.holderName : { ...sealedName };
      return { type: event.type, schemaVersion, data: { ...event.data, holderName, minorUnits: exponentOf(event.data.currency) } };
    }
    case 'MoneyDeposited':
    case 'MoneyWithdrawn': {
      const { accountId, amount, balanceAfter, transfer } = event.data;
      const data = {
        accountId, amount: formatMoney(amount), balanceAfter: formatMoney(balanceAfter), currency: amount.currency,
        ...(transfer === undefined ? {} : { transfer: { ...transfer } }),
      };
      return { type: event.type, schemaVersion, data };
    }
    case 'AccountClosed':
    case 'HolderForgotten':
      return { type: event.type, schemaVersion, data: { ...event.data } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * Reads a stored event of any known schema version: upcasts it, then checks its shape. `open` unseals
 * personal data; without it (the command side needs none) or without a key, it reads as ERASED.
 */
export function decodeAccountEvent(type: AccountEventType, schemaVersion: number, data: JsonObject, open?: Open): AccountEvent {
  const current = accountUpcasters.upcast(type, schemaVersion, data);
  switch (type) {
    case 'AccountOpened': {
      const { accountId, holderName, currency } = storedSchemas.AccountOpened.parse(current);
      const name = typeof holderName === 'string' ? holderName : (open?.(holderName) ?? ERASED);
      return { type, data: { accountId, holderName: name, currency } };
    }
    case 'MoneyDeposited':
    case 'MoneyWithdrawn': {
      const parsed = storedSchemas[type].parse(current);
      const money = (text: string) => ({ minor: parseStoredMinor(text, parsed.currency), currency: parsed.currency });
      const link = parsed.transfer === undefined ? {} : { transfer: parsed.transfer };
      return { type, data: { accountId: parsed.accountId, amount: money(parsed.amount), balanceAfter: money(parsed.balanceAfter), ...link } };
    }
    case 'AccountClosed':
    case 'HolderForgotten':
      return { type, data: storedSchemas[type].parse(current) };
    default: {
      const _exhaustive: never = type;
      return _exhaustive;
    }
  }
}
