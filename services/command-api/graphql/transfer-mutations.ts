import { randomUUID } from 'node:crypto';
import { describeAmountProblem, type CurrencyCode, type TransferError } from '../../domain/index.ts';
import { nameBasedUuid } from '../../platform/index.ts';
import { builder } from '../builder.ts';
import { money, mutationResult } from './account-mutations.ts';
import { CommandAccepted } from './command-accepted.ts';
import { ValidationFailed } from './error-classes.ts';
import { RequestTransferInput } from './inputs.ts';
import { runHandled } from './run-command.ts';

/** Namespace for transfer ids derived from a requestTransfer commandId, so a retried request is the same transfer. */
const TRANSFER_ID_NAMESPACE = '7d3c2b1a-9e8f-4a6b-8c5d-1e2f3a4b5c6d';

/** The request is checked by the transfer's decider after the input validation; what can reach here is a bug or a repeat. */
function toTransferGraphqlError(error: TransferError): Error {
  switch (error.type) {
    case 'SameAccount':
      return new ValidationFailed([{ path: ['input', 'toAccountId'], message: 'Must differ from fromAccountId' }]);
    case 'InvalidAmount':
      return new ValidationFailed([{ path: ['input', 'amount'], message: describeAmountProblem(error.problem, error.currency) }]);
    case 'TransferAlreadyRequested':
    case 'TransferStepOutOfOrder':
      return new Error(`transfer ${error.transferId} refused the request: ${error.type}`);
    default: {
      const _exhaustive: never = error;
      return _exhaustive;
    }
  }
}

builder.mutationFields((t) => ({
  requestTransfer: t.field({
    type: CommandAccepted,
    description:
      'Appends TransferRequested; the process manager then debits the source, credits the destination and completes ' +
      'the transfer, or rejects it (the source refused) or fails it after refunding the source (the destination refused). ' +
      'aggregateId is the transfer id; the consistencyToken names the transfer stream.',
    args: { input: t.arg({ type: RequestTransferInput, required: true }) },
    errors: mutationResult('RequestTransferResult', []),
    resolve: (_root, { input }, context) => {
      const transferId = input.commandId ? nameBasedUuid(input.commandId, TRANSFER_ID_NAMESPACE) : randomUUID();
      const data = {
        transferId,
        fromAccountId: String(input.fromAccountId),
        toAccountId: String(input.toAccountId),
        amount: money(input.amount, input.currency as CurrencyCode),
      };
      const options = { commandId: input.commandId ?? undefined, expectedRevision: undefined, reason: input.reason ?? undefined };
      return runHandled(context, 'requestTransfer', options, {
        aggregateId: transferId,
        correlationId: transferId,
        handle: (commandContext) => context.transfers.handle({ command: { type: 'RequestTransfer', data }, context: commandContext }),
        toError: toTransferGraphqlError,
      });
    },
  }),
}));
