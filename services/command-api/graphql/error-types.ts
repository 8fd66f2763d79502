import { Forbidden } from '../../platform/index.ts';
import { builder } from '../builder.ts';
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
  type FieldIssue,
} from './error-classes.ts';

/** Every typed error implements Error, so a client can always fall back to `... on Error { message }`. */
export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldIssueType = builder.objectRef<FieldIssue>('FieldIssue').implement({
  description: 'One problem with the input, at a path such as ["input", "amount"].',
  fields: (t) => ({
    path: t.exposeStringList('path'),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationFailed, {
  name: 'ValidationFailed',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [FieldIssueType], resolve: (error) => [...error.issues] }) }),
});

for (const [errorClass, name] of [
  [AccountNotFound, 'AccountNotFound'],
  [AccountAlreadyExists, 'AccountAlreadyExists'],
  [AccountClosed, 'AccountClosed'],
] as const) {
  builder.objectType(errorClass, {
    name,
    interfaces: [ErrorInterface],
    fields: (t) => ({ accountId: t.exposeID('accountId') }),
  });
}

builder.objectType(InsufficientFunds, {
  name: 'InsufficientFunds',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    accountId: t.exposeID('accountId'),
    available: t.exposeString('available', { description: 'Balance available to withdraw, as a decimal string.' }),
    requested: t.exposeString('requested'),
    currency: t.exposeString('currency'),
  }),
});

builder.objectType(CurrencyMismatch, {
  name: 'CurrencyMismatch',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    accountId: t.exposeID('accountId'),
    accountCurrency: t.exposeString('accountCurrency'),
    requestedCurrency: t.exposeString('requestedCurrency'),
  }),
});

builder.objectType(BalanceNotZero, {
  name: 'BalanceNotZero',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    accountId: t.exposeID('accountId'),
    balance: t.exposeString('balance'),
    currency: t.exposeString('currency'),
  }),
});

builder.objectType(ConcurrencyConflict, {
  name: 'ConcurrencyConflict',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    streamName: t.exposeString('streamName'),
    expectedRevision: t.exposeInt('expectedRevision', {
      nullable: true,
      description: 'The revision the command expected; null means it expected no stream.',
    }),
    actualRevision: t.exposeInt('actualRevision', { nullable: true, description: 'null means the stream does not exist.' }),
  }),
});

builder.objectType(Forbidden, {
  name: 'Forbidden',
  description: 'The token is valid but its roles do not allow this operation.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    operation: t.exposeString('operation'),
    requiredRoles: t.exposeStringList('requiredRoles', { description: 'Any one of these roles would do.' }),
  }),
});

builder.objectType(RateLimited, {
  name: 'RateLimited',
  description: 'This client sent more commands than its rate allows; nothing was appended.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterMs: t.exposeInt('retryAfterMs') }),
});

builder.objectType(StoreUnavailable, {
  name: 'StoreUnavailable',
  description: 'The event store did not answer; the command may or may not have been recorded. Retry with the same commandId.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ commandId: t.exposeString('commandId'), retryAfterMs: t.exposeInt('retryAfterMs') }),
});
