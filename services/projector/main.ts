import { createLogger, createMetricsRegistry, stopOnSignals } from '../platform/index.ts';
import { defineAccountsProjection } from './account-projection.ts';
import { defineTransfersProjection } from './transfer-projection.ts';
import { readProjectorEnv } from './env.ts';
import { createProjectorMetrics } from './metrics.ts';
import { startOpsServer } from './ops-http.ts';
import { ProjectorWorker } from './worker.ts';

const log = createLogger('projector');

/** The projections this worker runs; each gets its own subscription group. */
const projections = [defineAccountsProjection(), defineTransfersProjection()];

async function main(): Promise<void> {
  const env = readProjectorEnv();
  const registry = createMetricsRegistry('projector');
  const metrics = createProjectorMetrics(registry);
  const workers = projections.map(
    (projection) =>
      new ProjectorWorker({
        esdbConnectionString: env.ESDB_CONNECTION_STRING,
        redisUrl: env.REDIS_URL,
        projection,
        log: log.child({ projection: `${projection.name}-v${projection.version}` }),
        metrics,
        bufferSize: env.PROJECTOR_BUFFER_SIZE,
      }),
  );
  const ops = await startOpsServer({ registry, isReady: () => workers.every((worker) => worker.ready) }, env.PROJECTOR_PORT, env.PROJECTOR_HOST);
  await Promise.all(workers.map((worker) => worker.start()));
  log.info({ port: ops.port, eventStore: env.ESDB_CONNECTION_STRING, redis: env.REDIS_URL }, 'projector running');

  stopOnSignals(log, async () => {
    // Finish and ack what is in flight before leaving the groups; /metrics stays up until then.
    await Promise.all(workers.map((worker) => worker.stop()));
    await ops.close();
  });
}

await main();
