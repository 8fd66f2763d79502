import { START, streamNameFilter, type END, type EventStoreDBClient, type Filter, type Position } from '@eventstore/db-client';
import { groupNameOf, type Projection } from './projection.ts';

/** Beyond this many events behind, lag is reported as this number: counting further costs more than it tells. */
export const LAG_SCAN_LIMIT = 10_000;

export interface GroupProgress {
  /** Matching events in `$all` after the group's checkpoint (at most LAG_SCAN_LIMIT). */
  readonly lag: number;
  readonly parked: number;
}

/**
 * Counts the events of `$all` after `from` that pass `filter`, up to LAG_SCAN_LIMIT. A filtered
 * catch-up subscription filters server-side and says when it has reached the head.
 */
export async function countEventsAfter(
  client: EventStoreDBClient,
  from: Position | typeof START | typeof END,
  filter?: Filter,
): Promise<number> {
  const subscription = client.subscribeToAll({ fromPosition: from, ...(filter === undefined ? {} : { filter }) });
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      subscription.on('caughtUp', resolve);
      subscription.on('error', reject);
      subscription.on('data', () => {
        if (++count >= LAG_SCAN_LIMIT) resolve();
      });
    });
  } finally {
    await subscription.unsubscribe();
  }
  return Math.min(count, LAG_SCAN_LIMIT);
}

/**
 * Lag in events behind the head of `$all`: the group's checkpoint is the server's own record of how far
 * the group has got (everything up to it is acked or parked), so counting the matching events from it
 * to the head gives "events still to project", whichever worker holds them.
 */
export async function measureGroupProgress(client: EventStoreDBClient, projection: Projection): Promise<GroupProgress> {
  const info = await client.getPersistentSubscriptionToAllInfo(groupNameOf(projection));
  const lag = await countEventsAfter(
    client,
    info.stats.lastCheckpointedEventPosition ?? START,
    streamNameFilter({ prefixes: [projection.streamPrefix] }),
  );
  return { lag, parked: Number(info.stats.parkedMessageCount) };
}
