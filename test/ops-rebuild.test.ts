// `npm run ops -- rebuild <projection>` end to end: real EventStoreDB (embedded) and Redis, the query
// API answering and events being written throughout, projector workers (version followers) running.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ExitCode, rebuildLockKey, rebuildProjection } from '../services/ops/index.ts';
import { createRedisClient } from '../services/platform/index.ts';
import { activeVersionKey, globalKeys, groupNameOf, namespaceOf, rebuildKey, type Projection } from '../services/projector/index.ts';
import { createQueryApi } from '../services/query-api/index.ts';
import { expectReadModelsMatchStreams } from '../services/projector/expect-read-models.ts';
import { appendHistories, appendRandomHistory, generateAccountEvents, uniqueAccountsProjection, waitForProjectedEvents } from '../services/projector/test-support.ts';
import { testAuthenticator } from './auth-support.ts';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from './harness.ts';
import { groupExists, keysOfVersion, rebuilt, runRebuild, silentLog, startFollower, startRebuild, testRebuildSettings } from './ops-rebuild-support.ts';
import { query } from './query-api-support.ts';

const redis = await newRedisClient();

const ACCOUNT = `query ($id: ID!, $token: String) {
  account(id: $id, consistencyToken: $token) { __typename ... on Account { revision } }
}`;

/** Each account's revision and the event count as the live read models hold them now. */
async function liveState(projection: Projection, accountIds: readonly string[]) {
  const revisions = new Map<string, number>();
  for (const id of accountIds) {
    revisions.set(id, Number(await redis.hGet(`rm:${projection.name}:v1:{account:${id}}:summary`, 'revision')));
  }
  return revisions;
}

/**
 * Fault injected into every version after the first: its global read models (stats, indexes) are not
 * folded in until released, while the accounts' own keys are written. A switch before the new version
 * is complete would show readers missing accounts or stats behind the live version's.
 */
function holdingNewVersions(projection: Projection): { projection: Projection; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const atVersion = (version: number): Projection => {
    const plain = projection.atVersion(version);
    if (version === 1) return { ...plain, atVersion };
    const refreshGlobals: Projection['refreshGlobals'] = async (client, snapshots) => {
      await released;
      await plain.refreshGlobals(client, snapshots);
    };
    return { ...plain, atVersion, refreshGlobals };
  };
  return { projection: atVersion(projection.version), release };
}

/** Appends events of new accounts, a batch every 200 ms, until told to stop; answers their ids and count. */
function keepWriting(projection: Projection) {
  const esdb = newEsdbClient();
  const ids: string[] = [];
  let events = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const batch = generateAccountEvents(projection.streamPrefix, 40, 4);
      events += await appendHistories(esdb, batch.perStream);
      ids.push(...batch.ids);
      await sleep(200);
    }
  })();
  return { stop: async () => ((stopped = true), await done, { ids, events }) };
}

describe('ops rebuild', () => {
  it('switches readers to a complete new version while queries and writes go on; workers keep projecting into it', async () => {
    const esdb = newEsdbClient();
    const { projection, release } = holdingNewVersions(uniqueAccountsProjection());
    const history = await appendRandomHistory(esdb, projection, 2_000, 40);
    const workers = [await startFollower(projection), await startFollower(projection)];
    const api = await createQueryApi({ redisTarget: redisTarget(), log: silentLog, auth: testAuthenticator, projection: projection.name, streamPrefix: projection.streamPrefix });
    try {
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      const before = await liveState(projection, history.accountIds);

      // Readers must never see less than what was live before: a partly built version would show
      // accounts missing or behind.
      const problems: string[] = [];
      let answers = 0;
      let querying = true;
      const queries = (async () => {
        for (let round = 0; querying; round++) {
          const id = history.accountIds[round % history.accountIds.length]!;
          const answer = await query(api, ACCOUNT, { id });
          const account = answer.data?.account;
          if (account?.__typename !== 'Account' || account.revision < before.get(id)!) problems.push(JSON.stringify(answer));
          const stats = await query(api, '{ stats { events } }');
          if (!(stats.data?.stats.events >= history.totalEvents)) problems.push(JSON.stringify(stats));
          answers++;
        }
      })();
      const writes = keepWriting(projection);

      const rebuild = startRebuild(projection);
      let finished = false;
      void rebuild.done.finally(() => (finished = true));
      while ((await redis.exists(rebuildKey(projection.name))) === 0) await sleep(10);
      const second = await runRebuild(projection);
      expect(second.code).toBe(ExitCode.refused);
      expect(second.stderr).toContain(`Another rebuild of ${projection.name} is running`);
      // Readers keep getting the complete old version while the new one is held half-built: while the
      // rebuild looks at its progress many times, and for longer than the query API caches the version.
      const answered = answers;
      const redraws = () => rebuild.stderr().split('\r').length - 1;
      while (redraws() < 15 && !finished) await sleep(10);
      await sleep(1_500);
      expect(answers).toBeGreaterThan(answered);
      expect(problems).toEqual([]);
      expect(await redis.get(activeVersionKey(projection.name))).toBe('1');
      release();

      const result = rebuilt(await rebuild.done);
      expect(result).toMatchObject({ from: 1, to: 2, resumed: false });
      expect(result.removedKeys).toBeGreaterThan(0);
      const written = await writes.stop();
      querying = false;
      await queries;
      expect(problems).toEqual([]);
      expect(answers).toBeGreaterThan(0);

      const v2 = projection.atVersion(2);
      expect(await redis.get(activeVersionKey(projection.name))).toBe('2');
      expect(workers.map((worker) => worker.versions)).toEqual([[2], [2]]);
      expect(await keysOfVersion(redis, projection, 1)).toEqual([]);
      expect(await groupExists(groupNameOf(projection))).toBe(false);
      expect(await redis.exists(rebuildKey(projection.name))).toBe(0);
      // Every write, before, during and after the switch, is in the new version and nowhere else.
      await waitForProjectedEvents(redis, v2, history.totalEvents + written.events);
      await expectReadModelsMatchStreams(esdb, redis, v2, [...history.accountIds, ...written.ids]);

      // After the switch the workers project new events into v2 and consistency tokens are honoured.
      const late = generateAccountEvents(projection.streamPrefix, 5, 1);
      const [lateId] = late.ids;
      const lateEvents = await appendHistories(esdb, late.perStream);
      const token = `${projection.streamPrefix}${lateId}@${lateEvents - 1}`;
      const answer = await query(api, ACCOUNT, { id: lateId, token });
      expect(answer.data?.account).toEqual({ __typename: 'Account', revision: lateEvents - 1 });
      expect(await keysOfVersion(redis, projection, 1)).toEqual([]);
    } finally {
      await api.close();
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  }, 120_000);

  it('an interrupted rebuild is resumed by the next run, once the lock of a crashed run has expired', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const history = await appendRandomHistory(esdb, projection, 1_500, 30);
    const worker = await startFollower(projection);
    await waitForProjectedEvents(redis, projection, history.totalEvents);
    // No worker joins the new version: only the rebuild builds it, so interrupting it really stops it.
    await worker.stop();

    const client = createRedisClient(redisTarget(), silentLog);
    await client.connect();
    const interrupt = new AbortController();
    const connections = { esdb, redis: client, esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget(), log: silentLog };
    const progress = { onStep: () => {}, onProgress: (done: number) => void (done > 0 && interrupt.abort(new Error('interrupted'))) };
    try {
      await expect(rebuildProjection(connections, projection, testRebuildSettings, progress, interrupt.signal)).rejects.toThrow('interrupted');
    } finally {
      client.destroy();
    }
    expect(await redis.get(activeVersionKey(projection.name))).toBe('1');
    expect(await redis.hGetAll(rebuildKey(projection.name))).toEqual({ from: '1', to: '2' });
    const v2 = projection.atVersion(2);
    expect(Number(await redis.hGet(globalKeys(namespaceOf(v2)).stats, 'events'))).toBeLessThan(history.totalEvents);

    // A run that crashed holds the lock until it expires: meanwhile another run is refused.
    await redis.set(rebuildLockKey(projection.name), 'a-crashed-run', { expiration: { type: 'PX', value: 1_000 } });
    const refused = await runRebuild(projection);
    expect(refused.code).toBe(ExitCode.refused);
    for (let attempt = 0; attempt < 200 && (await redis.exists(rebuildLockKey(projection.name))) === 1; attempt++) await sleep(25);

    const resumed = rebuilt(await runRebuild(projection));
    expect(resumed).toMatchObject({ from: 1, to: 2, resumed: true });
    expect(await redis.get(activeVersionKey(projection.name))).toBe('2');
    await expectReadModelsMatchStreams(esdb, redis, v2, history.accountIds);
    expect(await keysOfVersion(redis, projection, 1)).toEqual([]);
    expect(await groupExists(groupNameOf(projection))).toBe(false);
  }, 120_000);
});
