import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { describe, it } from 'vitest';
import { esdbConnectionString, newEsdbClient } from '../../test/harness.ts';
import { startRedisServer } from '../platform/index.ts';
import { expectReadModelsMatchStreams } from './expect-read-models.ts';
import { appendRandomHistory, counterValue, startTestWorker, uniqueAccountsProjection, waitForProjectedEvents } from './test-support.ts';

describe('projector under faults', () => {
  it('holds events back while Redis is down and resumes when it is back, with nothing lost or doubled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'projector-redis-'));
    let server = await startRedisServer({ dir, durable: true });
    const connection = { esdbConnectionString: esdbConnectionString(), redisTarget: server.target };
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const workers = [await startTestWorker(connection, projection), await startTestWorker(connection, projection)];
    try {
      const before = await appendRandomHistory(esdb, projection, 1_000, 25);
      while ((await counterValue(workers[0]!.registry, 'projector_events_applied_total')) < 100) await sleep(5);
      await server.stop();
      // Written while Redis is down, so the workers certainly hold events they cannot apply yet
      // (the first history alone may be fully projected by the time Redis stops).
      const during = await appendRandomHistory(esdb, projection, 1_000, 25);
      const retries = async () => {
        let total = 0;
        for (const { registry } of workers) total += await counterValue(registry, 'projector_retries_total');
        return total;
      };
      while ((await retries()) === 0) await sleep(10);
      server = await startRedisServer({ dir, durable: true, port: server.port });

      const redis = createClient({ url: server.url });
      await redis.connect();
      try {
        await waitForProjectedEvents(redis, projection, before.totalEvents + during.totalEvents);
        await expectReadModelsMatchStreams(esdb, redis, projection, [...before.accountIds, ...during.accountIds]);
      } finally {
        redis.destroy();
      }
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.kill()));
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
