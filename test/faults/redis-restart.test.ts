// Redis goes away under the projector while events keep flowing: first a restart (its data kept on
// disk), then a flush that loses every read model, recovered by a rebuild. Both end with read models
// equal to the fold of the streams.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../../services/platform/index.ts';
import { expectReadModelsMatchStreams } from '../../services/projector/expect-read-models.ts';
import { groupNameOf } from '../../services/projector/index.ts';
import { startTestWorker, uniqueAccountsProjection, waitForProjectedEvents, type TestWorker } from '../../services/projector/test-support.ts';
import { ExitCode } from '../../services/ops/index.ts';
import { ops } from '../../services/ops/test-support.ts';
import { esdbConnectionString, newEsdbClient } from '../harness.ts';
import { startEventLoad, waitForMoreProjected } from './event-load.ts';

describe('Redis restarted and flushed while events flow', () => {
  it('the projector resumes after a restart and a rebuild restores flushed read models', { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faults-redis-'));
    let server: RunningRedisServer = await startRedisServer({ dir, durable: true });
    const connection = { esdbConnectionString: esdbConnectionString(), redisTarget: server.target };
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const startWorkers = async () => [await startTestWorker(connection, projection), await startTestWorker(connection, projection)];
    let workers: TestWorker[] = await startWorkers();
    const redis = createClient({ url: server.url, disableOfflineQueue: true });
    redis.on('error', () => undefined);
    await redis.connect();
    const load = startEventLoad(esdb, projection);
    try {
      await waitForMoreProjected(redis, projection, 150);
      await server.stop();
      server = await startRedisServer({ dir, durable: true, port: server.port });
      await waitForMoreProjected(redis, projection, 150);

      // The read models are lost; the rebuild: stop the workers, reset the group to the first event as
      // an operator would (`npm run ops -- subscriptions reset <group> --from start`; the rebuild command
      // proper is not in main yet), and let workers fill the empty Redis while new events keep coming.
      await Promise.all(workers.map(({ worker }) => worker.stop()));
      await redis.flushAll();
      expect(await ops(['subscriptions', 'reset', groupNameOf(projection), '--from', 'start', '--yes'])).toMatchObject({ code: ExitCode.ok });
      workers = await startWorkers();
      await waitForMoreProjected(redis, projection, 150);

      const { accountIds, totalEvents } = await load.stop();
      await waitForProjectedEvents(redis, projection, totalEvents, 45_000);
      await expectReadModelsMatchStreams(esdb, redis, projection, accountIds);
    } finally {
      await load.stop().catch(() => undefined);
      await Promise.all(workers.map(({ worker }) => worker.kill()));
      redis.destroy();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
