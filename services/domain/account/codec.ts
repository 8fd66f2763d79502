import { z } from 'zod';
import type { JsonObject } from '../json.ts';
import { currencyCodes, exponentOf, formatMoney, parseStoredMinor, type CurrencyCode } from '../money.ts';
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
// Optional and additive: events written before transfers existed simply have no link (still version 1).
const transferLink = z.object({ transferId: z.string(), counterpartyAccountId: z.string(), leg: z.enum(['debit', 'credit', 'refund']) }).optional();
const storedSchemas = {
  AccountOpened: z.object({ accountId: z.string(), holderName: z.string(), currency, minorUnits: z.number().int() }),
  MoneyDeposited: z.object({ accountId: z.string(), amount: decimal, balanceAfter: decimal, currency, transfer: transferLink }),
  MoneyWithdrawn: z.object({ accountId: z.string(), amount: decimal, balanceAfter: decimal, currency, transfer: transferLink }),
  AccountClosed: z.object({ accountId: z.string() }),
} satisfies Record<AccountEventType, z.ZodType>;

export function isAccountEventType(type: string): type is AccountEventType {
  return (accountEventTypes as readonly string[]).includes(type);
}

export function encodeAccountEvent(event: AccountEvent): StoredAccountEvent {
  const schemaVersion = accountUpcasters.currentVersion(event.type);
  switch (event.type) {
    case 'AccountOpened':
      return { type: event.type, schemaVersion, data: { ...event.data, minorUnits: exponentOf(event.data.currency) } };
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
      return { type: event.type, schemaVersion, data: { ...event.data } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** Reads a stored event of any known schema version: upcasts it, then checks its shape. */
export function decodeAccountEvent(type: AccountEventType, schemaVersion: number, data: JsonObject): AccountEvent {
  const current = accountUpcasters.upcast(type, schemaVersion, data);
  switch (type) {
    case 'AccountOpened': {
      const { accountId, holderName, currency } = storedSchemas.AccountOpened.parse(current);
      return { type, data: { accountId, holderName, currency } };
    }
    case 'MoneyDeposited':
    case 'MoneyWithdrawn': {
      const parsed = storedSchemas[type].parse(current);
      const money = (text: string) => ({ minor: parseStoredMinor(text, parsed.currency), currency: parsed.currency });
      const link = parsed.transfer === undefined ? {} : { transfer: parsed.transfer };
      return { type, data: { accountId: parsed.accountId, amount: money(parsed.amount), balanceAfter: money(parsed.balanceAfter), ...link } };
    }
    case 'AccountClosed':
      return { type, data: storedSchemas.AccountClosed.parse(current) };
    default: {
      const _exhaustive: never = type;
      return _exhaustive;
    }
  }
}
