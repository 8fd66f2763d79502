import type { TransferStepEntry } from '../../projector/index.ts';
import { builder } from '../builder.ts';
import { awaitToken } from '../consistency.ts';
import type { TransferView } from '../transfer-read-models.ts';
import { guardAnyAccount } from './access-rules.ts';
import { ConsistencyTimeout, InvalidArguments, TransferNotFound, typedErrors } from './errors.ts';

const TransferStatus = builder.enumType('TransferStatus', {
  description: 'REQUESTED and DEBITED move on by themselves; COMPENSATING is refunding the source; the other three are final.',
  values: {
    REQUESTED: { value: 'requested' }, DEBITED: { value: 'debited' }, COMPLETED: { value: 'completed' },
    REJECTED: { value: 'rejected' }, COMPENSATING: { value: 'compensating' }, FAILED: { value: 'failed' },
  } as const,
});

const TransferStep = builder.objectRef<TransferStepEntry>('TransferStep').implement({
  description: 'One event of the transfer stream, oldest first.',
  fields: (t) => ({
    revision: t.exposeInt('revision'),
    type: t.exposeString('type', { description: 'TransferRequested, TransferDebited, TransferCompleted, TransferRejected, TransferCreditRefused or TransferFailed.' }),
    occurredAt: t.field({ type: 'DateTime', resolve: (step) => step.occurredAt }),
    code: t.exposeString('code', { nullable: true, description: 'The account refusal (e.g. InsufficientFunds, AccountClosed), if any.' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const Transfer = builder.objectRef<TransferView>('Transfer').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: TransferStatus, resolve: (transfer) => transfer.status }),
    fromAccountId: t.exposeID('fromAccountId'),
    toAccountId: t.exposeID('toAccountId'),
    amount: t.exposeString('amount', { description: 'Decimal string in `currency`.' }),
    currency: t.exposeString('currency'),
    note: t.exposeString('note', { nullable: true, description: 'The reason given with the request.' }),
    failureCode: t.exposeString('failureCode', { nullable: true }),
    failureReason: t.exposeString('failureReason', { nullable: true, description: 'Why it was rejected or failed.' }),
    requestedAt: t.field({ type: 'DateTime', resolve: (transfer) => transfer.requestedAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (transfer) => transfer.updatedAt }),
    revision: t.exposeInt('revision', { description: 'The last stream revision this view includes.' }),
    steps: t.field({ type: [TransferStep], resolve: (transfer) => [...transfer.steps] }),
  }),
});

builder.queryFields((t) => ({
  transfer: t.field({
    type: Transfer,
    description: 'One transfer. With the consistencyToken requestTransfer returned, the answer includes at least the request.',
    args: { id: t.arg.id({ required: true }), consistencyToken: t.arg.string() },
    errors: typedErrors('TransferResult', [TransferNotFound, ConsistencyTimeout, InvalidArguments]),
    resolve: async (_root, args, context) => {
      const id = String(args.id);
      guardAnyAccount(context, 'transfer');
      const readModels = context.transferReadModels;
      const read = () => readModels.transfer(id);
      const transfer = args.consistencyToken
        ? await awaitToken(context, { streamName: `${context.transferStreamPrefix}${id}`, feed: context.transferFeed, read }, args.consistencyToken)
        : await read();
      // A holder is refused an unknown transfer as any other it may not read: existence is not given away.
      guardAnyAccount(context, 'transfer', transfer === undefined ? [] : [transfer.fromAccountId, transfer.toAccountId]);
      if (transfer === undefined) throw new TransferNotFound(id);
      return transfer;
    },
  }),
}));
