import { createClient, createCluster } from 'redis';
import type { Logger } from './logger.ts';
import { describeRedisTarget, type RedisTarget } from './redis-target.ts';

export interface RedisClientOptions {
  /** Longest pause between reconnect attempts while Redis is away. */
  readonly maxReconnectDelayMs?: number;
}

// node-redis 6 gives every command a 5 s timeout by default: an AbortSignal.timeout per command, whose
// timer and DOMException make a command several times as costly in CPU (npm run bench:redis-client:
// HGETALL about 45 → 10-20 µs of client CPU per command). It bounds only the wait to be written to the
// socket (commands-queue.js drops it once a command is written), not the wait for the reply. With no
// offline queue a command fails at once while disconnected and is otherwise written on the next turn of
// the event loop; only a socket that stopped draining holds it longer, and that is a dead connection for
// TCP keepalive and the reconnect strategy to end. So no per-command timeout: 0 turns it off.
const NO_COMMAND_TIMEOUT = { timeout: 0 } as const;

const connectionOptions = (options: RedisClientOptions) => {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  return {
    disableOfflineQueue: true,
    commandOptions: NO_COMMAND_TIMEOUT,
    socket: { reconnectStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, maxDelay) },
  } as const;
};

const nodeClient = (url: string, options: RedisClientOptions) => createClient({ url, ...connectionOptions(options) });

// The cluster client keeps one connection per node, each made with `defaults`: the same behaviour as a
// single-node client, node by node.
const clusterClient = (target: Extract<RedisTarget, { kind: 'cluster' }>, options: RedisClientOptions) =>
  createCluster({
    rootNodes: target.nodes.map(({ host, port }) => ({ socket: { host, port } })),
    defaults: connectionOptions(options),
    // The cluster passes its own command options to every node's commands, over the nodes' defaults.
    commandOptions: NO_COMMAND_TIMEOUT,
  });

export type RedisClient = ReturnType<typeof nodeClient> | ReturnType<typeof clusterClient>;

/**
 * The one way services connect to Redis, a single node or a cluster. Commands fail at once while the
 * connection is down (no offline queue): a caller that holds unacknowledged events must see the failure
 * and retry on its own schedule, rather than have commands pile up silently and replay in a burst on
 * reconnect.
 */
export function createRedisClient(target: RedisTarget, log: Logger, options: RedisClientOptions = {}): RedisClient {
  const client = target.kind === 'node' ? nodeClient(target.url, options) : clusterClient(target, options);
  let lastLoggedAt = 0;
  // Without a listener an 'error' event would crash the process; reconnecting is the client's job.
  client.on('error', (error: unknown) => {
    const now = Date.now();
    if (now - lastLoggedAt < 5_000) return;
    lastLoggedAt = now;
    log.warn({ err: error, redis: describeRedisTarget(target) }, 'redis connection error; reconnecting');
  });
  return client;
}

export function isCluster(client: RedisClient): client is ReturnType<typeof clusterClient> {
  return 'masters' in client;
}
