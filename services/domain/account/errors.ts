import type { AmountProblem, CurrencyCode, Money } from '../money.ts';

/** Why an account refused a command. Each is a case a client is expected to handle. */
export type AccountError =
  | { readonly type: 'AccountNotFound'; readonly accountId: string }
  | { readonly type: 'AccountAlreadyExists'; readonly accountId: string }
  | { readonly type: 'AccountClosed'; readonly accountId: string }
  | { readonly type: 'InsufficientFunds'; readonly accountId: string; readonly available: Money; readonly requested: Money }
  | {
      readonly type: 'CurrencyMismatch';
      readonly accountId: string;
      readonly accountCurrency: CurrencyCode;
      readonly requestedCurrency: CurrencyCode;
    }
  | { readonly type: 'BalanceNotZero'; readonly accountId: string; readonly balance: Money }
  | { readonly type: 'InvalidAmount'; readonly currency: CurrencyCode; readonly problem: AmountProblem }
  | { readonly type: 'InvalidHolderName'; readonly reason: string };

export type AccountErrorType = AccountError['type'];
