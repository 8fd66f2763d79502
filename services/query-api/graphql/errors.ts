import { Forbidden } from '../../platform/index.ts';
import { builder } from '../builder.ts';

export interface ArgumentIssue {
  readonly argument: string;
  readonly message: string;
}

export class InvalidArguments extends Error {
  override readonly name = 'InvalidArguments';
  constructor(readonly issues: readonly ArgumentIssue[]) {
    super(`Invalid arguments: ${issues.map((issue) => `${issue.argument}: ${issue.message}`).join('; ')}`);
  }
}

export class AccountNotFound extends Error {
  override readonly name = 'AccountNotFound';
  constructor(readonly accountId: string) {
    super(`Account ${accountId} does not exist (or is not in the read model yet)`);
  }
}

export class TransferNotFound extends Error {
  override readonly name = 'TransferNotFound';
  constructor(readonly transferId: string) {
    super(`Transfer ${transferId} does not exist (or is not in the read model yet)`);
  }
}

export class ConsistencyTimeout extends Error {
  override readonly name = 'ConsistencyTimeout';
  constructor(
    readonly streamName: string,
    readonly requestedRevision: number,
    readonly reachedRevision: number | null,
    readonly waitedMs: number,
  ) {
    super(`The read model of ${streamName} reached revision ${reachedRevision ?? 'none'} of ${requestedRevision} within ${waitedMs} ms; try again`);
  }
}

export class AccountNotOpenedAt extends Error {
  override readonly name = 'AccountNotOpenedAt';
  constructor(readonly accountId: string, readonly at: Date, readonly openedAt: string) {
    super(`Account ${accountId} was opened at ${openedAt}, after ${at.toISOString()}`);
  }
}

/** Every typed error implements Error, so a client can always fall back to `... on Error { message }`. */
export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  fields: (t) => ({ message: t.exposeString('message') }),
});

const ArgumentIssueType = builder.objectRef<ArgumentIssue>('ArgumentIssue').implement({
  fields: (t) => ({ argument: t.exposeString('argument'), message: t.exposeString('message') }),
});

builder.objectType(InvalidArguments, {
  name: 'InvalidArguments',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [ArgumentIssueType], resolve: (error) => [...error.issues] }) }),
});

builder.objectType(AccountNotFound, {
  name: 'AccountNotFound',
  interfaces: [ErrorInterface],
  fields: (t) => ({ accountId: t.exposeID('accountId') }),
});

builder.objectType(TransferNotFound, {
  name: 'TransferNotFound',
  interfaces: [ErrorInterface],
  fields: (t) => ({ transferId: t.exposeID('transferId') }),
});

builder.objectType(ConsistencyTimeout, {
  name: 'ConsistencyTimeout',
  description: 'The read model did not reach the consistencyToken in time; the answer would have been stale.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    streamName: t.exposeString('streamName'),
    requestedRevision: t.exposeInt('requestedRevision'),
    reachedRevision: t.exposeInt('reachedRevision', { nullable: true, description: 'null: nothing of the stream is projected yet.' }),
    waitedMs: t.exposeInt('waitedMs'),
  }),
});

builder.objectType(AccountNotOpenedAt, {
  name: 'AccountNotOpenedAt',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    accountId: t.exposeID('accountId'),
    at: t.field({ type: 'DateTime', resolve: (error) => error.at }),
    openedAt: t.field({ type: 'DateTime', resolve: (error) => error.openedAt }),
  }),
});

builder.objectType(Forbidden, {
  name: 'Forbidden',
  description: 'The token is valid but its roles (or, for a holder, its accounts) do not allow this read.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    operation: t.exposeString('operation'),
    requiredRoles: t.exposeStringList('requiredRoles', { description: 'Any one of these roles would do.' }),
  }),
});

/** The options every query with typed errors passes to the errors plugin; any of them may be Forbidden. */
export const typedErrors = (name: string, types: readonly (new (...args: never[]) => Error)[]) => ({
  types: [Forbidden, ...types],
  directResult: true as const,
  union: { name },
});
