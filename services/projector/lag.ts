import { START, streamNameFilter, type EventStoreDBClient } from '@eventstore/db-client';
import { groupNameOf, type Projection } from './projection.ts';

/** Beyond this many events behind, lag is reported as this number: counting further costs more than it tells. */
export const LAG_SCAN_LIMIT = 10_000;

export interface GroupProgress {
  /** Matching events in `$all` after the group's checkpoint (at most LAG_SCAN_LIMIT). */
  readonly lag: number;
  readonly parked: number;
}

/**
 * Lag in events behind the head of `$all`: the group's checkpoint is the server's own record of how far
 * the group has got (everything up to it is acked or parked), so counting the matching events from it
 * to the head gives "events still to project", whichever worker holds them. A filtered catch-up
 * subscription counts them server-side-filtered and says when it has reached the head.
 */
export async function measureGroupProgress(client: EventStoreDBClient, projection: Projection): Promise<GroupProgress> {
  const info = await client.getPersistentSubscriptionToAllInfo(groupNameOf(projection));
  const checkpoint = info.stats.lastCheckpointedEventPosition;
  const subscription = client.subscribeToAll({
    fromPosition: checkpoint ?? START,
    filter: streamNameFilter({ prefixes: [projection.streamPrefix] }),
  });
  let lag = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      subscription.on('caughtUp', resolve);
      subscription.on('error', reject);
      subscription.on('data', () => {
        if (++lag >= LAG_SCAN_LIMIT) resolve();
      });
    });
  } finally {
    await subscription.unsubscribe();
  }
  return { lag, parked: Number(info.stats.parkedMessageCount) };
}
