export { parseEnv, portSchema } from './env.ts';
export { createEsdbClient, isEsdbReachable } from './esdb-client.ts';
export { bodySizeLimit } from './body-size-limit.ts';
export { findFreePort } from './free-port.ts';
export { listenHttp, type ListenOptions, type RunningHttpServer } from './http-server.ts';
export { createLogger, type Logger } from './logger.ts';
export { createMetricsRegistry, metricsResponse } from './metrics.ts';
export {
  findRedisServerBinary,
  RedisServerNotFoundError,
  startRedisServer,
  type RedisServerOptions,
  type RunningRedisServer,
} from './redis-server.ts';
export { createRedisClient, isRedisReachable, type RedisClient, type RedisClientOptions } from './redis-client.ts';
export { stopOnSignals } from './shutdown.ts';
export { explainUnsupportedMediaType } from './unsupported-media-type.ts';
