import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { Registry } from 'prom-client';
import type { Logger, RedisClient, RedisTarget } from '../../platform/index.ts';
import { checkCaughtUp, createProjectorMetrics, globalKeys, groupNameOf, namespaceOf, ProjectorWorker, type Projection } from '../../projector/index.ts';

export interface ShadowBuild {
  readonly esdb: EventStoreDBClient;
  readonly redis: RedisClient;
  readonly esdbConnectionString: string;
  readonly redisTarget: RedisTarget;
  readonly log: Logger;
  readonly live: Projection;
  readonly shadow: Projection;
  readonly pollMs: number;
  /** Most events after the shadow group's checkpoint that the catch-up check reads one by one. */
  readonly catchUpScanLimit: number;
  readonly onProgress: (done: number, total: number) => void;
  readonly signal: AbortSignal;
}

/** Events the version's read models hold (the global stats count every applied event once). */
async function eventsProjected(redis: RedisClient, projection: Projection): Promise<number> {
  return Number((await redis.hGet(globalKeys(namespaceOf(projection)).stats, 'events')) ?? 0);
}

/**
 * Checking every poll would read up to the scan limit of `$all` each time while far behind: until a
 * check finds the rest within the limit, or the stats say the shadow is level, only every few polls.
 */
const CHECK_EVERY_POLLS = 10;

/**
 * Projects the shadow version's group in this process (the workers following the versions join in
 * too; the apply is idempotent and order-safe, so any number of processes may share the group) until
 * the shadow holds every event written so far, then runs `whenCaughtUp` - the switch - while still
 * projecting, so that no event waits between the check and the switch. Progress is the shadow's event
 * count against the live version's: cheap to read, though the live one is only what it has projected.
 */
export async function buildShadow(build: ShadowBuild, whenCaughtUp: () => Promise<void>): Promise<number> {
  const { redis, live, shadow, signal } = build;
  const worker = new ProjectorWorker({
    esdbConnectionString: build.esdbConnectionString, redisTarget: build.redisTarget, projection: shadow, log: build.log,
    metrics: createProjectorMetrics(new Registry()), progressIntervalMs: 0, createGroup: false,
  });
  await worker.start();
  try {
    // Applied is not yet acked: an aggregate's own keys are written before the global read models fold
    // it in. So the switch waits until everything an earlier check found applied is acked as well: the
    // global models then lag only by the last moment's events, as on the live version.
    let mustBeAcked: bigint | undefined;
    let near = false;
    for (let poll = 1; ; poll++) {
      signal.throwIfAborted();
      const [done, total] = await Promise.all([eventsProjected(redis, shadow), eventsProjected(redis, live)]);
      build.onProgress(done, Math.max(done, total));
      if (done >= total || near || poll % CHECK_EVERY_POLLS === 0) {
        const check = await checkCaughtUp(build.esdb, redis, shadow, live, build.catchUpScanLimit);
        near = check.near;
        if (check.parked > 0) {
          const group = groupNameOf(shadow);
          throw new Error(
            `${check.parked} event(s) were parked in ${group}: version ${shadow.version} cannot project them, so it does not go live. ` +
              `Fix the projection, replay them (npm run ops -- parked replay ${group}) and run the rebuild again.`,
          );
        }
        if (check.caughtUp && mustBeAcked !== undefined && check.acked >= mustBeAcked) {
          await whenCaughtUp();
          return eventsProjected(redis, shadow);
        }
        if (check.caughtUp) mustBeAcked ??= check.seen;
      }
      await sleep(build.pollMs, undefined, { signal });
    }
  } finally {
    // Interrupted: leave at once, as a crash would (nothing in flight is lost, the server redelivers).
    await (signal.aborted ? worker.kill() : worker.stop());
  }
}
