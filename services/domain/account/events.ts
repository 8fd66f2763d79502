import type { CurrencyCode, Money } from '../money.ts';
import type { TransferLink } from '../transfer/events.ts';

/** Events of the account aggregate as code sees them: amounts are bigint minor units. */
export type AccountEvent =
  | {
      readonly type: 'AccountOpened';
      readonly data: { readonly accountId: string; readonly holderName: string; readonly currency: CurrencyCode };
    }
  | {
      readonly type: 'MoneyDeposited';
      readonly data: MovementRecord;
    }
  | {
      readonly type: 'MoneyWithdrawn';
      readonly data: MovementRecord;
    }
  | { readonly type: 'AccountClosed'; readonly data: { readonly accountId: string } }
  /** The holder's personal data was erased on request; balances and history stay. */
  | { readonly type: 'HolderForgotten'; readonly data: { readonly accountId: string } };

/** What a deposit or withdrawal records; `transfer` names the transfer (and counterparty) it was a leg of. */
export interface MovementRecord {
  readonly accountId: string;
  readonly amount: Money;
  readonly balanceAfter: Money;
  readonly transfer?: TransferLink;
}

export type AccountEventType = AccountEvent['type'];

export const accountEventTypes: readonly AccountEventType[] = [
  'AccountOpened',
  'MoneyDeposited',
  'MoneyWithdrawn',
  'AccountClosed',
  'HolderForgotten',
];

export const accountStreamPrefix = 'account-';

export function accountStreamName(accountId: string): string {
  return `${accountStreamPrefix}${accountId}`;
}
