import { z } from 'zod';
import {
  currencyCodes,
  describeAmountProblem,
  isCurrencyCode,
  MAX_HOLDER_NAME_LENGTH,
  parseAmount,
} from '../../domain/index.ts';
import { builder } from '../builder.ts';

const MAX_REASON_LENGTH = 500;

// One zod schema per input type, so a client learns every problem at once rather than one per attempt.
const accountId = z.uuid({ message: 'Must be a UUID such as "6f1c2f43-8a55-4c61-9a62-2f4a3f0b7d10"' });
const commonFields = {
  commandId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'Must be 1–128 characters of letters, digits and . _ : -')
    .nullish(),
  reason: z.string().max(MAX_REASON_LENGTH, `Must be at most ${MAX_REASON_LENGTH} characters`).nullish(),
};
const expectedRevision = z.number().int().min(0, 'Must be a stream revision (0 or more)').nullish();
const currency = z
  .string()
  .refine(isCurrencyCode, `Must be a supported ISO 4217 currency code: ${currencyCodes.join(', ')}`);

const openAccountSchema = z.looseObject({
  ...commonFields,
  accountId: accountId.nullish(),
  holderName: z
    .string()
    .trim()
    .min(1, 'Must not be blank')
    .max(MAX_HOLDER_NAME_LENGTH, `Must be at most ${MAX_HOLDER_NAME_LENGTH} characters`),
  currency,
});

const amount = z.string().max(64, 'Too long');

/** Amount precision depends on the currency, so it is checked on the whole input, at the amount's path. */
function checkAmountField(input: { amount: string; currency: string }, context: z.RefinementCtx): void {
  if (!isCurrencyCode(input.currency)) return;
  const parsed = parseAmount(input.amount, input.currency);
  if (!parsed.ok) {
    context.addIssue({ code: 'custom', path: ['amount'], message: describeAmountProblem(parsed.problem, input.currency) });
  }
}

const moneySchema = z.looseObject({ ...commonFields, accountId, amount, currency, expectedRevision }).superRefine(checkAmountField);

const transferSchema = z
  .looseObject({ ...commonFields, fromAccountId: accountId, toAccountId: accountId, amount, currency })
  .superRefine((input, context) => {
    checkAmountField(input, context);
    if (input.fromAccountId === input.toAccountId) {
      context.addIssue({ code: 'custom', path: ['toAccountId'], message: 'Must differ from fromAccountId' });
    }
  });

const closeAccountSchema = z.looseObject({ ...commonFields, accountId, expectedRevision });

const descriptions = {
  commandId: 'Idempotency key: sending the same key again appends nothing and answers the same result.',
  expectedRevision: 'Answer ConcurrencyConflict unless the stream is at exactly this revision.',
  reason: 'Why, in words; stored in the event metadata.',
};

export const OpenAccountInput = builder.inputType('OpenAccountInput', {
  description: 'expectedRevision is absent on purpose: opening always expects that no stream exists.',
  validate: openAccountSchema,
  fields: (t) => ({
    accountId: t.id({ description: 'Chosen by the client; else derived from commandId; else random.' }),
    holderName: t.string({ required: true }),
    currency: t.string({ required: true, description: 'ISO 4217 code, e.g. EUR.' }),
    commandId: t.string({ description: descriptions.commandId }),
    reason: t.string({ description: descriptions.reason }),
  }),
});

function moneyInput(name: 'DepositMoneyInput' | 'WithdrawMoneyInput') {
  return builder.inputType(name, {
    validate: moneySchema,
    fields: (t) => ({
      accountId: t.id({ required: true }),
      amount: t.string({ required: true, description: 'Decimal string such as "12.50"; never a float.' }),
      currency: t.string({ required: true, description: 'Must be the account currency.' }),
      commandId: t.string({ description: descriptions.commandId }),
      expectedRevision: t.int({ description: descriptions.expectedRevision }),
      reason: t.string({ description: descriptions.reason }),
    }),
  });
}

export const DepositMoneyInput = moneyInput('DepositMoneyInput');
export const WithdrawMoneyInput = moneyInput('WithdrawMoneyInput');

/** Closing and forgetting name just the account: the same fields, the same checks. */
function accountOnlyInput(name: 'CloseAccountInput' | 'ForgetHolderInput', description?: string) {
  return builder.inputType(name, {
    ...(description === undefined ? {} : { description }),
    validate: closeAccountSchema,
    fields: (t) => ({
      accountId: t.id({ required: true }),
      commandId: t.string({ description: descriptions.commandId }),
      expectedRevision: t.int({ description: descriptions.expectedRevision }),
      reason: t.string({ description: descriptions.reason }),
    }),
  });
}

export const CloseAccountInput = accountOnlyInput('CloseAccountInput');
export const ForgetHolderInput = accountOnlyInput(
  'ForgetHolderInput',
  "Erases the holder's personal data (the right to be forgotten): its key is destroyed; balances and history stay.",
);

export const RequestTransferInput = builder.inputType('RequestTransferInput', {
  description: 'Whether the accounts exist, are open and hold the money is checked by the transfer itself (see Transfer.status).',
  validate: transferSchema,
  fields: (t) => ({
    fromAccountId: t.id({ required: true }),
    toAccountId: t.id({ required: true }),
    amount: t.string({ required: true, description: 'Decimal string such as "12.50"; never a float.' }),
    currency: t.string({ required: true, description: 'Must be the currency of both accounts.' }),
    commandId: t.string({ description: `${descriptions.commandId} The transfer id is derived from it.` }),
    reason: t.string({ description: descriptions.reason }),
  }),
});
