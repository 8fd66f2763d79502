import { decodeConsistencyToken, formatMinor, type CurrencyCode } from '../../domain/index.ts';
import { builder } from '../builder.ts';
import { waitForRevision } from '../consistency.ts';
import type { QueryApiContext } from '../context.ts';
import { guard } from './access-rules.ts';
import { Account, BalanceAt, Stats } from './account-types.ts';
import { AccountNotFound, AccountNotOpenedAt, ConsistencyTimeout, InvalidArguments, typedErrors } from './errors.ts';

/** Waits for the token's revision, or throws the typed error the client should see. */
async function awaitToken(context: QueryApiContext, accountId: string, token: string): Promise<void> {
  const point = decodeConsistencyToken(token);
  const streamName = `${context.streamPrefix}${accountId}`;
  if (point === undefined) throw new InvalidArguments([{ argument: 'consistencyToken', message: 'not a token a mutation returned (stream@revision)' }]);
  if (point.streamName !== streamName) {
    throw new InvalidArguments([{ argument: 'consistencyToken', message: `names ${point.streamName}, not account ${accountId}` }]);
  }
  const target = Number(point.revision);
  const started = performance.now();
  const outcome = await waitForRevision(context.feed, context.readModels, {
    streamName, accountId, target, timeoutMs: context.consistencyTimeoutMs,
  });
  const seconds = (performance.now() - started) / 1_000;
  if (outcome.reached) {
    context.metrics.recordConsistencyWait(outcome.waited ? 'waited' : 'immediate', seconds);
    return;
  }
  context.metrics.recordConsistencyWait('timeout', seconds);
  throw new ConsistencyTimeout(streamName, target, outcome.revision ?? null, Math.round(seconds * 1_000));
}

builder.queryFields((t) => ({
  account: t.field({
    type: Account,
    description: 'One account. With a consistencyToken from a mutation, the answer includes that mutation (or is a ConsistencyTimeout).',
    args: { id: t.arg.id({ required: true }), consistencyToken: t.arg.string() },
    errors: typedErrors('AccountResult', [AccountNotFound, ConsistencyTimeout, InvalidArguments]),
    resolve: async (_root, args, context) => {
      const id = String(args.id);
      guard(context, 'account', id);
      if (args.consistencyToken) await awaitToken(context, id, args.consistencyToken);
      const summary = await context.readModels.summary(id);
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
