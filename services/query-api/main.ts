import { createAuthenticator, createLogger, describeRedisTarget, isProduction, readAuthConfig, redisTargetOf, stopOnSignals } from '../platform/index.ts';
import { createQueryApi } from './app.ts';
import { readQueryApiEnv } from './env.ts';
import { listenQueryApi } from './server.ts';

const log = createLogger('query-api');

async function main(): Promise<void> {
  const env = readQueryApiEnv();
  const redisTarget = redisTargetOf(env);
  const api = await createQueryApi({
    redisTarget,
    log,
    auth: createAuthenticator(readAuthConfig()),
    production: isProduction(),
    projection: env.QUERY_PROJECTION,
    consistencyTimeoutMs: env.QUERY_CONSISTENCY_TIMEOUT_MS,
    maxPageSize: env.QUERY_MAX_PAGE_SIZE,
    maxRequestBodySize: env.QUERY_API_MAX_BODY_BYTES,
    graphiql: env.QUERY_API_GRAPHIQL,
  });
  const server = await listenQueryApi(api, env.QUERY_API_PORT, env.QUERY_API_HOST);
  log.info({ url: `${server.url}/graphql`, redis: describeRedisTarget(redisTarget) }, 'query API listening');

  stopOnSignals(log, async () => {
    // Stop taking requests, end subscriptions, let in-flight queries finish, then close Redis.
    await server.stop();
    await api.close();
  });
}

await main();
