import type { CurrencyCode, Money } from '../money.ts';
import type { TransferLink } from '../transfer/events.ts';

/** What a client asks of an account. Amounts arrive already parsed into minor units. */
export type AccountCommand =
  | {
      readonly type: 'OpenAccount';
      readonly data: { readonly accountId: string; readonly holderName: string; readonly currency: CurrencyCode };
    }
  | { readonly type: 'DepositMoney'; readonly data: MoneyMovement }
  | { readonly type: 'WithdrawMoney'; readonly data: MoneyMovement }
  | { readonly type: 'CloseAccount'; readonly data: { readonly accountId: string } }
  | { readonly type: 'ForgetHolder'; readonly data: { readonly accountId: string } };

/** An amount into or out of an account; `transfer` when the movement is a leg of a transfer. */
export interface MoneyMovement {
  readonly accountId: string;
  readonly amount: Money;
  readonly transfer?: TransferLink;
}

export type AccountCommandType = AccountCommand['type'];
