import {
  createAuthenticator,
  createEsdbClient,
  createKeyStore,
  createLogger,
  createRedisClient,
  isProduction,
  readAuthConfig,
  redisTargetOf,
  stopOnSignals,
} from '../platform/index.ts';
import { createCommandApi } from './app.ts';
import { readCommandApiEnv } from './env.ts';
import { listenCommandApi } from './server.ts';

const log = createLogger('command-api');

async function main(): Promise<void> {
  const env = readCommandApiEnv();
  const auth = createAuthenticator(readAuthConfig());
  const esdb = createEsdbClient(env.ESDB_CONNECTION_STRING);
  const redis = createRedisClient(redisTargetOf(env), log);
  await redis.connect();
  const yoga = createCommandApi({
    esdb,
    log,
    auth,
    keyStore: createKeyStore(redis),
    production: isProduction(),
    rateLimit:
      env.COMMAND_RATE_LIMIT_PER_SECOND === 0 ? undefined : { perSecond: env.COMMAND_RATE_LIMIT_PER_SECOND, burst: env.COMMAND_RATE_LIMIT_BURST },
    maxConflictRetries: env.COMMAND_MAX_CONFLICT_RETRIES,
    retryBaseDelayMs: env.COMMAND_RETRY_BASE_DELAY_MS,
    cachedStreams: env.COMMAND_CACHED_STREAMS,
    recentEvents: env.COMMAND_RECENT_EVENTS,
    maxRequestBodySize: env.COMMAND_API_MAX_BODY_BYTES,
    graphiql: env.COMMAND_API_GRAPHIQL,
  });
  const server = await listenCommandApi(yoga, env.COMMAND_API_PORT, env.COMMAND_API_HOST);
  log.info({ url: `${server.url}/graphql`, eventStore: env.ESDB_CONNECTION_STRING }, 'command API listening');

  stopOnSignals(log, async () => {
    // Stop taking requests and let in-flight commands finish their appends before the client goes.
    await server.stop();
    await esdb.dispose();
    redis.destroy();
  });
}

await main();
