import type { CurrencyCode, Money } from '../money.ts';

/** What a client asks of an account. Amounts arrive already parsed into minor units. */
export type AccountCommand =
  | {
      readonly type: 'OpenAccount';
      readonly data: { readonly accountId: string; readonly holderName: string; readonly currency: CurrencyCode };
    }
  | { readonly type: 'DepositMoney'; readonly data: { readonly accountId: string; readonly amount: Money } }
  | { readonly type: 'WithdrawMoney'; readonly data: { readonly accountId: string; readonly amount: Money } }
  | { readonly type: 'CloseAccount'; readonly data: { readonly accountId: string } }
  | { readonly type: 'ForgetHolder'; readonly data: { readonly accountId: string } };

export type AccountCommandType = AccountCommand['type'];
