import { START, streamNameFilter, type AllStreamResolvedEvent, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import type { RedisClient } from '../platform/index.ts';
import { deliveredEventOf, groupNameOf, type Projection } from './projection.ts';

export interface CatchUpCheck {
  /** Every event of the projection written so far is applied (or parked) in the group's read models. */
  readonly caughtUp: boolean;
  readonly parked: number;
}

/**
 * Whether the group's read models hold every event written so far. Everything up to the group's
 * checkpoint is acked (applied) or parked, by the server's own record; each event after it (read with
 * a filtered catch-up subscription up to the head) is checked against the revision its aggregate's read
 * model stores, since the checkpoint trails the acks by up to checkPointAfter. The answer is exact at
 * the moment of the check, which is what switching readers to this version needs; with more than
 * `limit` events after the checkpoint it is simply no.
 */
export async function checkCaughtUp(esdb: EventStoreDBClient, redis: RedisClient, projection: Projection, limit: number): Promise<CatchUpCheck> {
  const info = await esdb.getPersistentSubscriptionToAllInfo(groupNameOf(projection));
  const parked = Number(info.stats.parkedMessageCount);
  const latest = await latestRevisionsAfter(esdb, projection, info.stats.lastCheckpointedEventPosition, limit);
  if (latest === undefined) return { caughtUp: false, parked };
  const keys = [...latest.keys()];
  if (keys.length === 0) return { caughtUp: true, parked };
  const pipeline = redis.multi();
  for (const key of keys) pipeline.hGet(key, 'revision');
  const stored = (await pipeline.execAsPipeline()) as unknown as (string | null)[];
  const caughtUp = keys.every((key, at) => {
    const revision = stored[at];
    return typeof revision === 'string' && BigInt(revision) >= latest.get(key)!;
  });
  return { caughtUp, parked };
}

/** Per revision key, the highest stream revision among the events after `from`; undefined beyond `limit` events. */
async function latestRevisionsAfter(
  esdb: EventStoreDBClient,
  projection: Projection,
  from: Position | undefined,
  limit: number,
): Promise<Map<string, bigint> | undefined> {
  const latest = new Map<string, bigint>();
  const subscription = esdb.subscribeToAll({ fromPosition: from ?? START, filter: streamNameFilter({ prefixes: [projection.streamPrefix] }) });
  let seen = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      subscription.on('caughtUp', resolve);
      subscription.on('error', reject);
      subscription.on('data', ({ event }: AllStreamResolvedEvent) => {
        if (event === undefined || seen > limit) return;
        if (++seen > limit) resolve();
        const revisionKey = revisionKeyOf(projection, event);
        const known = revisionKey === undefined ? undefined : latest.get(revisionKey);
        if (revisionKey !== undefined && (known === undefined || known < event.revision)) latest.set(revisionKey, event.revision);
      });
    });
  } finally {
    await subscription.unsubscribe();
  }
  return seen > limit ? undefined : latest;
}

function revisionKeyOf(projection: Projection, event: NonNullable<AllStreamResolvedEvent['event']>): string | undefined {
  try {
    return projection.plan(deliveredEventOf(event)).revisionKey;
  } catch {
    // An event the projection cannot handle gets parked, which the parked count reports.
    return undefined;
  }
}
