import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esdbConnectionString, newEsdbClient, redisUrl } from '../../test/harness.ts';
import { projectorEnvSchema, readProjectorEnv } from './env.ts';
import { expectReadModelsMatchStreams } from './expect-read-models.ts';
import { groupNameOf } from './projection.ts';
import { appendRandomHistory, counterValue, startTestWorker, uniqueAccountsProjection, waitForProjectedEvents, type TestWorker } from './test-support.ts';

const redis = createClient({ url: redisUrl() });
beforeAll(() => redis.connect());
afterAll(() => redis.destroy());

const connection = () => ({ esdbConnectionString: esdbConnectionString(), redisUrl: redisUrl() });

describe('projector workers', () => {
  it('two workers under RoundRobin build read models equal to folding the streams', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const workers = [await startTestWorker(connection(), projection), await startTestWorker(connection(), projection)];
    try {
      const history = await appendRandomHistory(esdb, projection);
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      await expectReadModelsMatchStreams(esdb, redis, projection, history.accountIds);
      // Both workers took part, so ordering across workers really was exercised.
      for (const { registry } of workers) expect(await counterValue(registry, 'projector_events_applied_total')).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.stop()));
    }
  });

  it('two workers under Pinned (PROJECTOR_CONSUMER_STRATEGY) build read models equal to folding the streams', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const { PROJECTOR_CONSUMER_STRATEGY } = readProjectorEnv({ PROJECTOR_CONSUMER_STRATEGY: 'Pinned' });
    const groupSettings = { consumerStrategyName: PROJECTOR_CONSUMER_STRATEGY };
    const workers = [await startTestWorker(connection(), projection, { groupSettings }), await startTestWorker(connection(), projection, { groupSettings })];
    try {
      const history = await appendRandomHistory(esdb, projection);
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      await expectReadModelsMatchStreams(esdb, redis, projection, history.accountIds);
      const info = await esdb.getPersistentSubscriptionToAllInfo(groupNameOf(projection));
      expect(info.settings.consumerStrategyName).toBe('Pinned');
      for (const { registry } of workers) expect(await counterValue(registry, 'projector_events_applied_total')).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.stop()));
    }
  });

  it('rejects an unknown consumer strategy by name, and defaults to RoundRobin', () => {
    expect(readProjectorEnv({}).PROJECTOR_CONSUMER_STRATEGY).toBe('RoundRobin');
    const wrong = projectorEnvSchema.safeParse({ PROJECTOR_CONSUMER_STRATEGY: 'Random' });
    expect(wrong.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['PROJECTOR_CONSUMER_STRATEGY']);
  });

  it('applies each event once when the server redelivers events still in progress (short messageTimeout)', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const history = await appendRandomHistory(esdb, projection);
    // A 1 ms timeout makes the server hand most events to the other worker while the first still works on them.
    const groupSettings = { messageTimeout: 1, maxRetryCount: 10_000 };
    const workers: TestWorker[] = [
      await startTestWorker(connection(), projection, { groupSettings }),
      await startTestWorker(connection(), projection, { groupSettings }),
    ];
    try {
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      await expectReadModelsMatchStreams(esdb, redis, projection, history.accountIds);
      let duplicates = 0;
      for (const { registry } of workers) duplicates += await counterValue(registry, 'projector_events_duplicate_total');
      expect(duplicates).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.stop()));
    }
  });

  it('loses and doubles nothing when one worker is killed mid-run', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const history = await appendRandomHistory(esdb, projection);
    const survivor = await startTestWorker(connection(), projection);
    const victim = await startTestWorker(connection(), projection);
    try {
      while ((await counterValue(victim.registry, 'projector_events_applied_total')) < 200) await new Promise((r) => setTimeout(r, 5));
      await victim.worker.kill();
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      await expectReadModelsMatchStreams(esdb, redis, projection, history.accountIds);
    } finally {
      await survivor.worker.stop();
    }
  });
});
