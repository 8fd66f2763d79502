export { findFreePort } from './free-port.ts';
export { createLogger, type Logger } from './logger.ts';
export {
  findRedisServerBinary,
  RedisServerNotFoundError,
  startRedisServer,
  type RedisServerOptions,
  type RunningRedisServer,
} from './redis-server.ts';
