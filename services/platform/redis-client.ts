import { createClient } from 'redis';
import type { Logger } from './logger.ts';

export interface RedisClientOptions {
  /** Longest pause between reconnect attempts while Redis is away. */
  readonly maxReconnectDelayMs?: number;
}

/**
 * The one way services connect to Redis. Commands fail at once while the connection is down (no
 * offline queue): a caller that holds unacknowledged events must see the failure and retry on its own
 * schedule, rather than have commands pile up silently and replay in a burst on reconnect.
 */
export function createRedisClient(url: string, log: Logger, options: RedisClientOptions = {}) {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (attempt) => Math.min(50 * 2 ** attempt, maxDelay) },
  });
  let lastLoggedAt = 0;
  // Without a listener an 'error' event would crash the process; reconnecting is the client's job.
  client.on('error', (error: unknown) => {
    const now = Date.now();
    if (now - lastLoggedAt < 5_000) return;
    lastLoggedAt = now;
    log.warn({ err: error, url }, 'redis connection error; reconnecting');
  });
  return client;
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/** True when Redis answers PING: what readiness probes ask. */
export async function isRedisReachable(client: RedisClient): Promise<boolean> {
  try {
    return client.isReady && (await client.ping()) === 'PONG';
  } catch {
    return false;
  }
}
