import { join } from 'node:path';
import { createCommandApi, listenCommandApi } from '../../services/command-api/index.ts';
import { startEsdbMemory } from '../../services/esdb-memory/index.ts';
import {
  createEsdbClient,
  createKeyStore,
  createLogger,
  createMetricsRegistry,
  createRedisClient,
  devAuthentication,
  redisTargetOf,
  startRedisServer,
  type Logger,
  type RedisTarget,
  type Role,
} from '../../services/platform/index.ts';
import { createProjectorMetrics, defineAccountsProjection, defineTransfersProjection, startOpsServer, VersionFollower } from '../../services/projector/index.ts';
import { createQueryApi, listenQueryApi } from '../../services/query-api/index.ts';
import { createTransferMetrics, TransferProcessManager } from '../../services/transfers/index.ts';
import { runsOnGivenRedis, type DevEnv } from './env.ts';

/** Where each part of a running stack answers, for the banner. */
export interface StackAddresses {
  eventStore: { connectionString: string; embeddedDataDir?: string };
  redis: { target: RedisTarget; localDataDir?: string };
  commandApi: string;
  queryApi: string;
  projector: string;
  /** A bearer token per role, signed with AUTH_JWT_SECRET or this run's random secret. */
  tokens: Record<Role, string>;
}

/**
 * Starts the servers and services one by one, registering how to stop each as soon as it runs, so
 * `stopAll` (reverse order: users of a server stop before the server) works after a partial start too.
 */
export class DevStack {
  private readonly stops: Array<{ name: string; stop: () => Promise<void> }> = [];

  constructor(private readonly log: Logger) {}

  async start(env: DevEnv): Promise<StackAddresses> {
    const eventStore = await this.eventStore(env);
    const redis = await this.redis(env);

    const { auth, tokens } = await devAuthentication();

    const esdbClient = createEsdbClient(eventStore.connectionString);
    this.onStop('command API store client', () => esdbClient.dispose());
    // The command API seals holders' names with per-account keys kept in Redis (platform/key-store.ts).
    const keyRedis = createRedisClient(redis.target, this.log);
    await keyRedis.connect();
    this.onStop('command API key-store client', async () => keyRedis.destroy());
    const commandApi = await listenCommandApi(
      createCommandApi({ esdb: esdbClient, log: createLogger('command-api'), auth, keyStore: createKeyStore(keyRedis), graphiql: true }),
      env.COMMAND_API_PORT,
    );
    this.onStop('command API', () => commandApi.stop());

    const registry = createMetricsRegistry('projector');
    const metrics = createProjectorMetrics(registry);
    // Follows the projection's live versions, so that `npm run ops -- rebuild accounts` switches it over.
    const projector = new VersionFollower({
      esdbConnectionString: eventStore.connectionString,
      redisTarget: redis.target,
      projection: defineAccountsProjection(),
      log: createLogger('projector'),
      metrics,
      bufferSize: 1_000,
    });
    const projectorOps = await startOpsServer({ registry, isReady: () => projector.ready }, env.PROJECTOR_PORT, '127.0.0.1');
    this.onStop('projector ops server', () => projectorOps.close());
    await projector.start();
    this.onStop('projector workers', () => projector.stop());
    const transfersProjector = new VersionFollower({ esdbConnectionString: eventStore.connectionString, redisTarget: redis.target, projection: defineTransfersProjection(), log: createLogger('projector'), metrics });
    await transfersProjector.start();
    this.onStop('transfers projector workers', () => transfersProjector.stop());
    const transfers = new TransferProcessManager({ esdbConnectionString: eventStore.connectionString, log: createLogger('transfers'), metrics: createTransferMetrics(createMetricsRegistry('transfers')) });
    await transfers.start();
    this.onStop('transfers process manager', () => transfers.stop());

    const queryApi = await createQueryApi({ redisTarget: redis.target, log: createLogger('query-api'), auth, graphiql: true });
    this.onStop('query API Redis clients', () => queryApi.close());
    const queryServer = await listenQueryApi(queryApi, env.QUERY_API_PORT);
    this.onStop('query API', () => queryServer.stop());

    return {
      eventStore,
      redis,
      commandApi: commandApi.url,
      queryApi: queryServer.url,
      projector: `http://127.0.0.1:${projectorOps.port}`,
      tokens,
    };
  }

  /** Stops what has started, each part once, even if start-up failure and a signal both get here. */
  async stopAll(): Promise<void> {
    for (const { name, stop } of this.stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => this.log.error({ err: error }, `failed to stop ${name}`));
    }
  }

  private onStop(name: string, stop: () => Promise<void>): void {
    this.stops.push({ name, stop });
  }

  private async eventStore(env: DevEnv): Promise<StackAddresses['eventStore']> {
    if (env.ESDB_CONNECTION_STRING !== undefined) return { connectionString: env.ESDB_CONNECTION_STRING };
    const dataDir = join(env.DEV_DATA_DIR, 'esdb');
    const esdb = await startEsdbMemory({ port: env.ESDB_PORT, dbDir: dataDir });
    this.onStop('EventStoreDB-compatible server', () => esdb.stop());
    return { connectionString: esdb.connectionString, embeddedDataDir: dataDir };
  }

  private async redis(env: DevEnv): Promise<StackAddresses['redis']> {
    if (runsOnGivenRedis(env)) return { target: redisTargetOf(env) };
    const dataDir = join(env.DEV_DATA_DIR, 'redis');
    // Its own process group: a terminal's Ctrl-C then reaches only us, and Redis stops after its users.
    const redis = await startRedisServer({ port: env.REDIS_PORT, dir: dataDir, durable: true, ownProcessGroup: true });
    this.onStop('redis-server', () => redis.stop());
    return { target: redis.target, localDataDir: dataDir };
  }
}
