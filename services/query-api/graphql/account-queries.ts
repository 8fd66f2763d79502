import { formatMinor, type CurrencyCode } from '../../domain/index.ts';
import { builder } from '../builder.ts';
import { awaitToken } from '../consistency.ts';
import { guard } from './access-rules.ts';
import { Account, BalanceAt, Stats } from './account-types.ts';
import { AccountNotFound, AccountNotOpenedAt, ConsistencyTimeout, InvalidArguments, typedErrors } from './errors.ts';

builder.queryFields((t) => ({
  account: t.field({
    type: Account,
    description: 'One account. With a consistencyToken from a mutation, the answer includes that mutation (or is a ConsistencyTimeout).',
    args: { id: t.arg.id({ required: true }), consistencyToken: t.arg.string() },
    errors: typedErrors('AccountResult', [AccountNotFound, ConsistencyTimeout, InvalidArguments]),
    resolve: async (_root, args, context) => {
      const id = String(args.id);
      guard(context, 'account', id);
      const read = () => context.readModels.summary(id);
      const summary = args.consistencyToken
        ? await awaitToken(context, { streamName: `${context.streamPrefix}${id}`, feed: context.feed, read }, args.consistencyToken)
        : await read();
      if (summary === undefined) throw new AccountNotFound(id);
      return summary;
    },
  }),
  balanceAt: t.field({
    type: BalanceAt,
    description: 'The balance as of an instant: after every event that occurred at or before it, none after.',
    args: { accountId: t.arg.id({ required: true }), at: t.arg({ type: 'DateTime', required: true }) },
    errors: typedErrors('BalanceAtResult', [AccountNotFound, AccountNotOpenedAt]),
    resolve: async (_root, args, context) => {
      const accountId = String(args.accountId);
      guard(context, 'balanceAt', accountId);
      const { summary, entry } = await context.readModels.balanceAt(accountId, args.at.getTime());
      if (summary === undefined) throw new AccountNotFound(accountId);
      if (entry === undefined) throw new AccountNotOpenedAt(accountId, args.at, summary.openedAt);
      const balance = formatMinor(entry.balanceMinor, summary.currency as CurrencyCode);
      return { accountId, at: args.at, balance, currency: summary.currency, revision: entry.revision };
    },
  }),
  stats: t.field({
    type: Stats,
    description: 'Global counters over all accounts.',
    resolve: (_root, _args, context) => {
      guard(context, 'stats');
      return context.readModels.stats();
    },
  }),
}));
