export { parseEnv, portSchema } from './env.ts';
export { createEsdbClient, isEsdbReachable, isStoreUnreachable } from './esdb-client.ts';
export {
  defaultEsdbConnectionString,
  esdbConnectionStringSchema,
  parseEsdbConnectionString,
  withEsdbHosts,
  type EsdbConnection,
  type EsdbHost,
} from './esdb-connection-string.ts';
export { findFreePort } from './free-port.ts';
export { listenHttp, type ListenOptions, type RunningHttpServer } from './http-server.ts';
export { nameBasedUuid } from './name-based-uuid.ts';
export { createLogger, type Logger } from './logger.ts';
export { createMetricsRegistry, metricsResponse } from './metrics.ts';
export {
  findRedisServerBinary,
  RedisServerNotFoundError,
  startRedisServer,
  type RedisServerOptions,
  type RunningRedisServer,
} from './redis-server.ts';
export { startRedisCluster, type RunningRedisCluster } from './redis-cluster-server.ts';
export { createRedisClient, isCluster, type RedisClient, type RedisClientOptions } from './redis-client.ts';
export { flushAllServers, infoOfEachServer, isRedisReachable, removeKeysUnder, scanKeysUnder } from './redis-nodes.ts';
export {
  describeRedisTarget,
  oneRedisTarget,
  redisEnvOf,
  redisEnvShape,
  redisTargetOf,
  type RedisNodeAddress,
  type RedisTarget,
} from './redis-target.ts';
export { assertOneSlot, CrossSlotError, hashSlot, oneSlotPipeline } from './hash-slot.ts';
export { stopOnSignals } from './shutdown.ts';
export {
  AuthenticationFailed,
  createAuthenticator,
  roles,
  type AuthConfig,
  type Authenticator,
  type AuthFailure,
  type Principal,
  type Role,
} from './auth.ts';
export { devAuthentication, mintDevTokens, mintToken, type TokenClaims } from './tokens.ts';
export { authEnvSchema, authEnvShape, isProduction, readAuthConfig } from './auth-env.ts';
export { bearerAuth, type BearerAuth } from './bearer-auth.ts';
export { authorize, Forbidden, isAllowed, maskUnexpectedError, type AccessRule } from './access.ts';
export { RateLimiter } from './rate-limit.ts';
export { graphqlLimits, type GraphqlLimitOptions } from './graphql-limits.ts';
export { createKeyStore, personalDataKeyName, type KeyStore } from './key-store.ts';
export { openerFor, sealerFor } from './personal-data-cipher.ts';
export { graphqlRequestChecks } from './request-checks.ts';
export { sharedYogaOptions } from './yoga-options.ts';
