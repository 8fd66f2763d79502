import type { JsonObject } from '../json.ts';
import { exponentOf, isCurrencyCode } from '../money.ts';
import { createUpcasterChain } from '../upcasting.ts';
import type { AccountEventType } from './events.ts';

/**
 * AccountOpened v1 stored `{ accountId, owner, currency }`. v2 renamed `owner` to `holderName` and added
 * `minorUnits` (the currency's exponent) so that a consumer without a currency table can still place the
 * decimal point of the amounts in the stream.
 */
function accountOpenedV1ToV2(data: JsonObject): JsonObject {
  const { owner, ...rest } = data;
  const currency = data.currency;
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) {
    throw new Error(`AccountOpened v1 has an unknown currency: ${JSON.stringify(currency)}`);
  }
  return { ...rest, holderName: owner ?? null, minorUnits: exponentOf(currency) };
}

/**
 * AccountOpened v3 lets `holderName` be sealed (see personal-data.ts). A v2 name is plain text and stays
 * so: sealing needs the account's key, which an upcaster has no business fetching.
 */
const accountOpenedV2ToV3 = (data: JsonObject): JsonObject => data;

export const accountUpcasters = createUpcasterChain<AccountEventType>(
  { AccountOpened: 3, MoneyDeposited: 1, MoneyWithdrawn: 1, AccountClosed: 1, HolderForgotten: 1 },
  { 'AccountOpened@v1': accountOpenedV1ToV2, 'AccountOpened@v2': accountOpenedV2ToV3 },
);
