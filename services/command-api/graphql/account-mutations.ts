import { randomUUID } from 'node:crypto';
import { Forbidden, nameBasedUuid } from '../../platform/index.ts';
import { parseAmount, type AccountCommand, type CurrencyCode, type Money } from '../../domain/index.ts';
import { builder } from '../builder.ts';
import { CommandAccepted } from './command-accepted.ts';
import { runCommand, type CommandOptions } from './run-command.ts';
import {
  AccountAlreadyExists,
  AccountClosed,
  AccountNotFound,
  BalanceNotZero,
  ConcurrencyConflict,
  CurrencyMismatch,
  InsufficientFunds,
  RateLimited,
  StoreUnavailable,
  ValidationFailed,
} from './error-classes.ts';
import { CloseAccountInput, DepositMoneyInput, ForgetHolderInput, OpenAccountInput, WithdrawMoneyInput } from './inputs.ts';

/** Namespace for account ids derived from an openAccount commandId, so a retried open opens the same account. */
const ACCOUNT_ID_NAMESPACE = 'c5a0f1e2-3b4d-4e6f-8a9b-0c1d2e3f4a5b';

/** Validation has run by the time a resolver sees the input, so a failed parse here is a bug. */
export function money(amount: string, currency: string): Money {
  const parsed = parseAmount(amount, currency as CurrencyCode);
  if (!parsed.ok) throw new Error(`validated amount ${amount} ${currency} did not parse`);
  return parsed.money;
}

interface OptionalCommandFields {
  readonly commandId?: string | null | undefined;
  readonly expectedRevision?: number | null | undefined;
  readonly reason?: string | null | undefined;
}

function options(input: OptionalCommandFields): CommandOptions {
  return {
    commandId: input.commandId ?? undefined,
    expectedRevision: input.expectedRevision ?? undefined,
    reason: input.reason ?? undefined,
  };
}

/** A mutation's result union: CommandAccepted or a typed error; every mutation may be Forbidden, RateLimited or StoreUnavailable. */
export const mutationResult = (name: string, types: readonly (new (...args: never[]) => Error)[]) => ({
  types: [ValidationFailed, Forbidden, RateLimited, StoreUnavailable, ConcurrencyConflict, ...types],
  directResult: true as const,
  union: { name },
});

builder.mutationFields((t) => ({
  openAccount: t.field({
    type: CommandAccepted,
    args: { input: t.arg({ type: OpenAccountInput, required: true }) },
    errors: mutationResult('OpenAccountResult', [AccountAlreadyExists]),
    resolve: (_root, { input }, context) => {
      const accountId =
        input.accountId ?? (input.commandId ? nameBasedUuid(input.commandId, ACCOUNT_ID_NAMESPACE) : randomUUID());
      const command: AccountCommand = {
        type: 'OpenAccount',
        data: { accountId: String(accountId), holderName: input.holderName, currency: input.currency as CurrencyCode },
      };
      return runCommand(context, 'openAccount', command, options(input));
    },
  }),
  depositMoney: t.field({
    type: CommandAccepted,
    args: { input: t.arg({ type: DepositMoneyInput, required: true }) },
    errors: mutationResult('DepositMoneyResult', [AccountNotFound, AccountClosed, CurrencyMismatch]),
    resolve: (_root, { input }, context) => {
      const command: AccountCommand = {
        type: 'DepositMoney',
        data: { accountId: String(input.accountId), amount: money(input.amount, input.currency) },
      };
      return runCommand(context, 'depositMoney', command, options(input));
    },
  }),
  withdrawMoney: t.field({
    type: CommandAccepted,
    args: { input: t.arg({ type: WithdrawMoneyInput, required: true }) },
    errors: mutationResult('WithdrawMoneyResult', [AccountNotFound, AccountClosed, CurrencyMismatch, InsufficientFunds]),
    resolve: (_root, { input }, context) => {
      const command: AccountCommand = {
        type: 'WithdrawMoney',
        data: { accountId: String(input.accountId), amount: money(input.amount, input.currency) },
      };
      return runCommand(context, 'withdrawMoney', command, options(input));
    },
  }),
  closeAccount: t.field({
    type: CommandAccepted,
    args: { input: t.arg({ type: CloseAccountInput, required: true }) },
    errors: mutationResult('CloseAccountResult', [AccountNotFound, AccountClosed, BalanceNotZero]),
    resolve: (_root, { input }, context) => {
      const command: AccountCommand = { type: 'CloseAccount', data: { accountId: String(input.accountId) } };
      return runCommand(context, 'closeAccount', command, options(input));
    },
  }),
  forgetHolder: t.field({
    type: CommandAccepted,
    description: "Crypto-shreds the holder's personal data: reads show it as \"[erased]\" from then on.",
    args: { input: t.arg({ type: ForgetHolderInput, required: true }) },
    errors: mutationResult('ForgetHolderResult', [AccountNotFound]),
    resolve: (_root, { input }, context) => {
      const command: AccountCommand = { type: 'ForgetHolder', data: { accountId: String(input.accountId) } };
      return runCommand(context, 'forgetHolder', command, options(input));
    },
  }),
}));
