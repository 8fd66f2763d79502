import type { StandardSchemaV1 } from '@pothos/plugin-validation';
import { describeAmountProblem, formatMoney, type AccountError, type CurrencyCode, type Money } from '../../domain/index.ts';

export interface FieldIssue {
  readonly path: readonly string[];
  readonly message: string;
}

export class ValidationFailed extends Error {
  override readonly name = 'ValidationFailed';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`Invalid input: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }

  static fromIssues(issues: readonly StandardSchemaV1.Issue[]): ValidationFailed {
    return new ValidationFailed(
      issues.map((issue) => ({
        path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)),
        message: issue.message,
      })),
    );
  }
}

export class AccountNotFound extends Error {
  override readonly name = 'AccountNotFound';
  constructor(readonly accountId: string) {
    super(`Account ${accountId} does not exist`);
  }
}

export class AccountAlreadyExists extends Error {
  override readonly name = 'AccountAlreadyExists';
  constructor(readonly accountId: string) {
    super(`Account ${accountId} already exists`);
  }
}

export class AccountClosed extends Error {
  override readonly name = 'AccountClosed';
  constructor(readonly accountId: string) {
    super(`Account ${accountId} is closed`);
  }
}

export class InsufficientFunds extends Error {
  override readonly name = 'InsufficientFunds';
  readonly available: string;
  readonly requested: string;
  readonly currency: CurrencyCode;
  constructor(readonly accountId: string, available: Money, requested: Money) {
    super(`Account ${accountId} holds ${formatMoney(available)} ${available.currency}; ${formatMoney(requested)} requested`);
    this.available = formatMoney(available);
    this.requested = formatMoney(requested);
    this.currency = available.currency;
  }
}

export class CurrencyMismatch extends Error {
  override readonly name = 'CurrencyMismatch';
  constructor(readonly accountId: string, readonly accountCurrency: CurrencyCode, readonly requestedCurrency: CurrencyCode) {
    super(`Account ${accountId} is in ${accountCurrency}, not ${requestedCurrency}`);
  }
}

export class BalanceNotZero extends Error {
  override readonly name = 'BalanceNotZero';
  readonly balance: string;
  readonly currency: CurrencyCode;
  constructor(readonly accountId: string, balance: Money) {
    super(`Account ${accountId} still holds ${formatMoney(balance)} ${balance.currency}; only an empty account can be closed`);
    this.balance = formatMoney(balance);
    this.currency = balance.currency;
  }
}

export class ConcurrencyConflict extends Error {
  override readonly name = 'ConcurrencyConflict';
  constructor(
    readonly streamName: string,
    readonly expectedRevision: number | null,
    readonly actualRevision: number | null,
  ) {
    super(`${streamName} is at revision ${actualRevision ?? 'none'}, not ${expectedRevision ?? 'none'}; re-read and retry`);
  }
}

export class RateLimited extends Error {
  override readonly name = 'RateLimited';
  constructor(readonly retryAfterMs: number) {
    super(`Too many commands from this client; retry in ${retryAfterMs} ms`);
  }
}

/**
 * The event store could not be reached or did not answer in time. The command may or may not have been
 * recorded, so the client retries with the same commandId: a repeat is recognised and recorded once.
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  constructor(readonly commandId: string, readonly retryAfterMs: number) {
    super(`The event store did not answer; the command may or may not have been recorded. Retry with commandId ${commandId}, which records it at most once.`);
  }
}

/** The class a client sees for each domain refusal; the switch makes a new refusal a compile error here. */
export function toGraphqlError(error: AccountError): Error {
  switch (error.type) {
    case 'AccountNotFound':
      return new AccountNotFound(error.accountId);
    case 'AccountAlreadyExists':
      return new AccountAlreadyExists(error.accountId);
    case 'AccountClosed':
      return new AccountClosed(error.accountId);
    case 'InsufficientFunds':
      return new InsufficientFunds(error.accountId, error.available, error.requested);
    case 'CurrencyMismatch':
      return new CurrencyMismatch(error.accountId, error.accountCurrency, error.requestedCurrency);
    case 'BalanceNotZero':
      return new BalanceNotZero(error.accountId, error.balance);
    case 'InvalidAmount':
      return new ValidationFailed([{ path: ['input', 'amount'], message: describeAmountProblem(error.problem, error.currency) }]);
    case 'InvalidHolderName':
      return new ValidationFailed([{ path: ['input', 'holderName'], message: error.reason }]);
    default: {
      const _exhaustive: never = error;
      return _exhaustive;
    }
  }
}

export const commandErrorClasses = [
  ValidationFailed,
  AccountNotFound,
  AccountAlreadyExists,
  AccountClosed,
  InsufficientFunds,
  CurrencyMismatch,
  BalanceNotZero,
  ConcurrencyConflict,
  RateLimited,
  StoreUnavailable,
] as const;

/** The words a client would read for a refusal; a transfer records them as its reason. */
export const accountErrorMessage = (error: AccountError): string => toGraphqlError(error).message;
