// `subscriptions reset` on a live projection: the group starts over, its worker (dropped by the
// reset) resubscribes and gets every event again, and what it re-projects equals a fresh projection.
import { describe, expect, it } from 'vitest';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from '../../test/harness.ts';
import { defineAccountsProjection, groupNameOf, namespacePrefix, type Projection } from '../projector/index.ts';
import { appendRandomHistory, counterValue, startTestWorker, uniqueAccountsProjection, waitForProjectedEvents, type TestWorker } from '../projector/test-support.ts';
import { scanKeysUnder } from '../platform/index.ts';
import { ExitCode } from './command.ts';
import { info, ops, until } from './test-support.ts';

const redis = await newRedisClient();
const connection = { esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget() };

async function keysOf(projection: Projection): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of scanKeysUnder(redis, `${namespacePrefix({ projection: projection.name, version: projection.version })}:`)) keys.push(...batch);
  return keys.sort();
}

/** Every key of a projection version with its contents, the version taken out of the key names. */
async function readModelDump(projection: Projection): Promise<Record<string, unknown>> {
  const dump: Record<string, unknown> = {};
  const versioned = `${projection.name}:v${projection.version}`;
  for (const key of await keysOf(projection)) {
    const type = await redis.type(key);
    const contents =
      type === 'hash' ? await redis.hGetAll(key)
      : type === 'zset' ? await redis.zRangeWithScores(key, 0, -1)
      : type === 'string' ? await redis.get(key)
      : `unexpected ${type}`;
    dump[key.replaceAll(versioned, `${projection.name}:v*`)] = contents;
  }
  return dump;
}

describe('ops subscriptions reset, then re-projection', () => {
  it('re-projects every event into read models equal to a fresh projection of the same streams', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const group = groupNameOf(projection);
    const history = await appendRandomHistory(esdb, projection, 300, 12);
    let worker: TestWorker = await startTestWorker(connection, projection);
    const fresh = defineAccountsProjection({ name: projection.name, streamPrefix: projection.streamPrefix, version: 2 });
    const freshWorker = await startTestWorker(connection, fresh);
    try {
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      await waitForProjectedEvents(redis, fresh, history.totalEvents);
      const projected = await readModelDump(projection);
      expect(Object.keys(projected).length).toBeGreaterThan(history.accountIds.length);
      expect(await readModelDump(fresh)).toEqual(projected);

      // With the worker running: the reset drops it, it resubscribes and gets all events again,
      // which the revision check recognises as already applied.
      expect((await ops(['subscriptions', 'reset', group, '--from', 'start', '--yes'])).code).toBe(ExitCode.ok);
      const redelivered = async () => (await counterValue(worker.registry, 'projector_events_duplicate_total')) >= history.totalEvents;
      await until('the reset group delivered every event again', redelivered);
      expect(await readModelDump(projection)).toEqual(projected);

      // The operator's rebuild in place: stop the worker, drop the read model, reset, start again.
      await worker.worker.stop();
      await redis.unlink(await keysOf(projection));
      expect((await ops(['subscriptions', 'reset', group, '--yes'])).code).toBe(ExitCode.ok);
      worker = await startTestWorker(connection, projection);
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      expect(await readModelDump(projection)).toEqual(await readModelDump(fresh));
      // The checkpoint follows the acks within checkPointAfter, so lag reaches 0 shortly after.
      await until('the group has no lag', async () => (await info(group)).lag === 0);
      expect(await info(group)).toMatchObject({ parked: 0 });
    } finally {
      await Promise.all([worker.worker.stop(), freshWorker.worker.stop()]);
      await Promise.all([esdb.deletePersistentSubscriptionToAll(group), esdb.deletePersistentSubscriptionToAll(groupNameOf(fresh))]);
    }
  });
});
