// Commands that act on one server's whole keyspace (SCAN, FLUSHALL, INFO, PING) reach a single node even
// through a cluster client. These helpers run them on every master instead, and on the one server
// otherwise, so callers need not know which kind of Redis they have.
import { hashSlot } from './hash-slot.ts';
import { isCluster, type RedisClient } from './redis-client.ts';

/** A connection to one server: the client itself, or one of a cluster client's node connections. */
async function eachServer(redis: RedisClient) {
  if (!isCluster(redis)) return [redis];
  return Promise.all(redis.masters.map((master) => redis.nodeClient(master)));
}

/** True when Redis, or every master of the cluster, answers PING: what readiness probes ask. */
export async function isRedisReachable(redis: RedisClient): Promise<boolean> {
  try {
    if (!redis.isReady) return false;
    const replies = await Promise.all((await eachServer(redis)).map((server) => server.ping()));
    return replies.every((reply) => reply === 'PONG');
  } catch {
    return false;
  }
}

/** Escapes glob characters, so that a name is matched literally by SCAN's MATCH. */
const literal = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** Every key under `prefix`, a batch at a time, from every master: SCAN never blocks a server the way KEYS does. */
export async function* scanKeysUnder(redis: RedisClient, prefix: string, batchSize = 1_000): AsyncGenerator<string[]> {
  for (const server of await eachServer(redis)) {
    for await (const keys of server.scanIterator({ MATCH: `${literal(prefix)}*`, COUNT: batchSize })) {
      if (keys.length > 0) yield keys;
    }
  }
}

/**
 * Removes every key under `prefix`: UNLINK frees memory in the background instead of in the command.
 * A multi-key UNLINK must stay within one slot on a cluster, so there each batch is split by slot.
 * Answers how many keys were removed.
 */
export async function removeKeysUnder(redis: RedisClient, prefix: string, batchSize = 1_000): Promise<number> {
  let removed = 0;
  for await (const keys of scanKeysUnder(redis, prefix, batchSize)) {
    const groups = isCluster(redis) ? bySlot(keys) : [keys];
    const counts = await Promise.all(groups.map((group) => redis.unlink(group)));
    removed += counts.reduce((sum, count) => sum + count, 0);
  }
  return removed;
}

function bySlot(keys: readonly string[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const key of keys) {
    const slot = hashSlot(key);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [key]);
    else group.push(key);
  }
  return [...groups.values()];
}

/** Empties Redis, every master of it: for tests and benchmarks only. */
export async function flushAllServers(redis: RedisClient): Promise<void> {
  await Promise.all((await eachServer(redis)).map((server) => server.flushAll()));
}

/** INFO `section` of Redis, or of each master of the cluster. */
export async function infoOfEachServer(redis: RedisClient, section: string): Promise<string[]> {
  return Promise.all((await eachServer(redis)).map((server) => server.info(section)));
}
