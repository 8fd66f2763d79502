import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createCommandApi, listenCommandApi } from '../services/command-api/index.ts';
import { startEsdbMemory } from '../services/esdb-memory/index.ts';
import { createEsdbClient, createLogger, createMetricsRegistry, findRedisServerBinary, startRedisServer } from '../services/platform/index.ts';
import { createProjectorMetrics, defineAccountsProjection, defineTransfersProjection, ProjectorWorker, startOpsServer } from '../services/projector/index.ts';
import { createQueryApi, listenQueryApi } from '../services/query-api/index.ts';
import { createTransferMetrics, TransferProcessManager } from '../services/transfers/index.ts';

const log = createLogger('dev');

const port = z.coerce.number().int().min(1).max(65_535);
const envSchema = z.object({
  ESDB_PORT: port.default(2113),
  REDIS_PORT: port.default(6379),
  COMMAND_API_PORT: port.default(4000),
  QUERY_API_PORT: port.default(4001),
  PROJECTOR_PORT: port.default(9464),
  REDIS_URL: z.url().optional(),
});

const dataDir = (name: string): string => fileURLToPath(new URL(`../.data/${name}`, import.meta.url));

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    process.stderr.write(`Invalid environment: ${z.prettifyError(parsed.error)}\n`);
    process.exit(1);
  }
  const env = parsed.data;
  if (env.REDIS_URL === undefined && findRedisServerBinary() === undefined) {
    process.stderr.write("redis-server is not installed: run 'apt-get install -y redis-server', or set REDIS_URL\n");
    process.exit(1);
  }

  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stopAll = async (): Promise<void> => {
    // splice: each server is stopped once even if start-up failure and a signal both get here.
    for (const { name, stop } of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => log.error({ err: error }, `failed to stop ${name}`));
    }
  };

  const startAll = async (): Promise<void> => {
    const esdb = await startEsdbMemory({ port: env.ESDB_PORT, dbDir: dataDir('esdb') });
    stops.push({ name: 'EventStoreDB-compatible server', stop: () => esdb.stop() });
    log.info({ connectionString: esdb.connectionString }, 'embedded EventStoreDB-compatible server ready');

    const esdbClient = createEsdbClient(esdb.connectionString);
    stops.push({ name: 'command API store client', stop: () => esdbClient.dispose() });
    const commandApi = await listenCommandApi(
      createCommandApi({ esdb: esdbClient, log: createLogger('command-api'), graphiql: true }),
      env.COMMAND_API_PORT,
    );
    stops.push({ name: 'command API', stop: () => commandApi.stop() });
    log.info({ url: `${commandApi.url}/graphql` }, 'command API ready (GraphiQL in a browser)');

    let redisUrl = env.REDIS_URL;
    if (redisUrl === undefined) {
      const redis = await startRedisServer({ port: env.REDIS_PORT, dir: dataDir('redis'), durable: true });
      stops.push({ name: 'redis-server', stop: () => redis.stop() });
      log.info({ url: redis.url }, 'local redis-server ready');
      redisUrl = redis.url;
    } else {
      log.info({ url: redisUrl }, 'using Redis from REDIS_URL');
    }

    const projectorLog = createLogger('projector');
    const projectorRegistry = createMetricsRegistry('projector');
    const projectorMetrics = createProjectorMetrics(projectorRegistry);
    const projector = new ProjectorWorker({
      esdbConnectionString: esdb.connectionString,
      redisUrl,
      projection: defineAccountsProjection(),
      log: projectorLog,
      metrics: projectorMetrics,
      bufferSize: 1_000,
    });
    const projectorOps = await startOpsServer({ registry: projectorRegistry, isReady: () => projector.ready }, env.PROJECTOR_PORT, '127.0.0.1');
    stops.push({ name: 'projector ops server', stop: () => projectorOps.close() });
    await projector.start();
    stops.push({ name: 'projector worker', stop: () => projector.stop() });
    log.info({ metrics: `http://127.0.0.1:${projectorOps.port}/metrics` }, 'projector worker running');
    const transfersProjector = new ProjectorWorker({ esdbConnectionString: esdb.connectionString, redisUrl, projection: defineTransfersProjection(), log: projectorLog, metrics: projectorMetrics });
    await transfersProjector.start();
    stops.push({ name: 'transfers projector worker', stop: () => transfersProjector.stop() });
    const transfers = new TransferProcessManager({ esdbConnectionString: esdb.connectionString, log: createLogger('transfers'), metrics: createTransferMetrics(createMetricsRegistry('transfers')) });
    await transfers.start();
    stops.push({ name: 'transfers process manager', stop: () => transfers.stop() });

    const queryApi = await createQueryApi({ redisUrl, log: createLogger('query-api'), graphiql: true });
    stops.push({ name: 'query API Redis clients', stop: () => queryApi.close() });
    const queryServer = await listenQueryApi(queryApi, env.QUERY_API_PORT);
    stops.push({ name: 'query API', stop: () => queryServer.stop() });
    log.info({ url: `${queryServer.url}/graphql` }, 'query API ready (GraphiQL in a browser)');
  };
  const started = startAll();

  let shuttingDown = false;
  const shutDown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'stopping');
    // Let a start-up in progress finish first, so nothing it spawns outlives us.
    void started
      .catch(() => undefined)
      .then(stopAll)
      .then(() => {
        log.info('stopped');
        process.exit(0);
      });
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);

  try {
    await started;
  } catch (error) {
    log.error({ err: error }, 'start-up failed');
    await stopAll();
    process.exit(1);
  }
  if (!shuttingDown) log.info('running; press Ctrl-C to stop');
}

await main();
