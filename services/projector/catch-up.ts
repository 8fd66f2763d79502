import { START, streamNameFilter, type AllStreamResolvedEvent, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import type { RedisClient } from '../platform/index.ts';
import { deliveredEventOf, groupNameOf, type Projection } from './projection.ts';

export interface CatchUpCheck {
  /** For every aggregate, the read models hold each event written so far, or at least what the live version holds. */
  readonly caughtUp: boolean;
  readonly parked: number;
  /** Whether the events after the checkpoint were few enough (at most the limit) to check one by one. */
  readonly near: boolean;
  /** Commit position up to which the group has acked everything (acked: the global read models too). */
  readonly acked: bigint;
  /** Commit position of the last event the check saw (the checkpoint when none came after it). */
  readonly seen: bigint;
}

/**
 * Whether readers may switch from the `live` version to `projection` without seeing anything go back.
 * Everything up to the group's checkpoint is acked (applied) or parked, by the server's own record;
 * each aggregate with events after it (read with a filtered catch-up subscription up to the head) must
 * store its latest revision, or at least the revision the live version stores: under steady writes
 * both versions always have a few events in flight, so "everything" would rarely hold at any one
 * instant, while "no less than the live version" is what a reader would notice. The answer is exact at
 * the moment of the check; with more than `limit` events after the checkpoint it is simply no.
 */
export async function checkCaughtUp(
  esdb: EventStoreDBClient,
  redis: RedisClient,
  projection: Projection,
  live: Projection,
  limit: number,
): Promise<CatchUpCheck> {
  const info = await esdb.getPersistentSubscriptionToAllInfo(groupNameOf(projection));
  const parked = Number(info.stats.parkedMessageCount);
  const checkpoint = info.stats.lastCheckpointedEventPosition;
  const tail = await latestRevisionsAfter(esdb, projection, live, checkpoint, limit);
  const acked = checkpoint?.commit ?? -1n;
  if (tail === undefined) return { caughtUp: false, near: false, parked, acked, seen: acked };
  const { latest, seen } = tail;
  const aggregates = [...latest.values()];
  if (aggregates.length === 0) return { caughtUp: true, near: true, parked, acked, seen: seen ?? acked };
  // Separate commands, one round trip all the same (sent in one tick); each goes to its account's node on a cluster.
  const replies = await Promise.all(aggregates.flatMap(({ key, liveKey }) => [redis.hGet(key, 'revision'), redis.hGet(liveKey ?? key, 'revision')]));
  const stored = replies.map((text) => (typeof text === 'string' ? BigInt(text) : -1n));
  const caughtUp = aggregates.every(({ revision, liveKey }, at) => {
    const own = stored[2 * at]!;
    return own >= revision || (liveKey !== undefined && own >= stored[2 * at + 1]!);
  });
  return { caughtUp, near: true, parked, acked, seen: seen ?? acked };
}

interface TailAggregate {
  readonly key: string;
  /** The live version's revision key of the same aggregate; undefined when it cannot project the event. */
  readonly liveKey: string | undefined;
  readonly revision: bigint;
}

/**
 * Per aggregate, the highest stream revision among the events after `from`, and the position of the
 * last of them; undefined beyond `limit` events.
 */
async function latestRevisionsAfter(
  esdb: EventStoreDBClient,
  projection: Projection,
  live: Projection,
  from: Position | undefined,
  limit: number,
): Promise<{ latest: Map<string, TailAggregate>; seen: bigint | undefined } | undefined> {
  const latest = new Map<string, TailAggregate>();
  let seen: bigint | undefined;
  const subscription = esdb.subscribeToAll({ fromPosition: from ?? START, filter: streamNameFilter({ prefixes: [projection.streamPrefix] }) });
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      subscription.on('caughtUp', resolve);
      subscription.on('error', reject);
      subscription.on('data', ({ event }: AllStreamResolvedEvent) => {
        if (event === undefined || count > limit) return;
        if (++count > limit) resolve();
        seen = event.position.commit;
        const key = revisionKeyOf(projection, event);
        if (key === undefined || (latest.get(key)?.revision ?? -1n) >= event.revision) return;
        latest.set(key, { key, liveKey: revisionKeyOf(live, event), revision: event.revision });
      });
    });
  } finally {
    await subscription.unsubscribe();
  }
  return count > limit ? undefined : { latest, seen };
}

function revisionKeyOf(projection: Projection, event: NonNullable<AllStreamResolvedEvent['event']>): string | undefined {
  try {
    return projection.revisionKeyOf(deliveredEventOf(event));
  } catch {
    // An event the projection cannot handle gets parked, which the parked count reports.
    return undefined;
  }
}
