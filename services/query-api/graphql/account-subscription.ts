import { Repeater } from 'graphql-yoga';
import { builder } from '../builder.ts';
import type { QueryApiContext } from '../context.ts';
import type { AccountSummary } from '../read-models.ts';
import { guard } from './access-rules.ts';
import { Account } from './account-types.ts';

/**
 * The account now, then each newer state as the projector applies events. It listens before the first
 * read, so nothing applied in between is lost; reads run one at a time and only a higher revision is
 * sent, so a client sees revisions in increasing order (a burst may arrive as its latest state).
 */
function accountUpdates(context: QueryApiContext, accountId: string): Repeater<AccountSummary> {
  return new Repeater<AccountSummary>(async (push, stop) => {
    let sent = -1;
    let reads = Promise.resolve();
    const refresh = async (): Promise<void> => {
      const summary = await context.readModels.summary(accountId);
      if (summary !== undefined && summary.revision > sent) {
        sent = summary.revision;
        await push(summary);
      }
    };
    const scheduleRead = (): void => {
      reads = reads.then(refresh).catch((error: unknown) => stop(error));
    };
    const stopListening = context.feed.listen(`${context.streamPrefix}${accountId}`, scheduleRead);
    scheduleRead();
    // A subscription never ends by itself; shutting down ends it so the server can close its connection.
    const endOnShutdown = (): void => stop();
    context.shutdown.addEventListener('abort', endOnShutdown, { once: true });
    await stop;
    context.shutdown.removeEventListener('abort', endOnShutdown);
    stopListening();
  });
}

builder.subscriptionFields((t) => ({
  accountUpdated: t.field({
    type: Account,
    description: 'The account as it is now, then again after every change (over Server-Sent Events).',
    args: { accountId: t.arg.id({ required: true }) },
    subscribe: (_root, args, context) => {
      guard(context, 'accountUpdated', String(args.accountId));
      return accountUpdates(context, String(args.accountId));
    },
    resolve: (summary) => summary,
  }),
}));
