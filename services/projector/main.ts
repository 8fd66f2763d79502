import { createLogger, createMetricsRegistry, stopOnSignals } from '../platform/index.ts';
import { projectionCatalog } from './catalog.ts';
import { readProjectorEnv } from './env.ts';
import { createProjectorMetrics } from './metrics.ts';
import { startOpsServer } from './ops-http.ts';
import { VersionFollower } from './version-follower.ts';

const log = createLogger('projector');

async function main(): Promise<void> {
  const env = readProjectorEnv();
  const registry = createMetricsRegistry('projector');
  const metrics = createProjectorMetrics(registry);
  // Each projection's workers follow its live versions (see projection-versions.ts), so a rebuild
  // switches versions without a restart.
  const followers = projectionCatalog.map(
    (projection) =>
      new VersionFollower({
        esdbConnectionString: env.ESDB_CONNECTION_STRING,
        redisUrl: env.REDIS_URL,
        projection,
        log: log.child({ projection: projection.name }),
        metrics,
        bufferSize: env.PROJECTOR_BUFFER_SIZE,
        groupSettings: { consumerStrategyName: env.PROJECTOR_CONSUMER_STRATEGY },
      }),
  );
  const ops = await startOpsServer({ registry, isReady: () => followers.every((follower) => follower.ready) }, env.PROJECTOR_PORT, env.PROJECTOR_HOST);
  await Promise.all(followers.map((follower) => follower.start()));
  log.info({ port: ops.port, eventStore: env.ESDB_CONNECTION_STRING, redis: env.REDIS_URL }, 'projector running');

  stopOnSignals(log, async () => {
    // Finish and ack what is in flight before leaving the groups; /metrics stays up until then.
    await Promise.all(followers.map((follower) => follower.stop()));
    await ops.close();
  });
}

await main();
