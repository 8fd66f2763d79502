import type { RedisClient } from '../../platform/index.ts';

/** Escapes glob characters, so that a name is matched literally by SCAN's MATCH. */
const literal = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Removes every key under `prefix` in batches: SCAN walks the keyspace a slice at a time instead of
 * KEYS blocking Redis for all clients, and UNLINK frees memory in the background instead of in the
 * command. Answers how many keys were removed.
 */
export async function removeKeysUnder(redis: RedisClient, prefix: string, batchSize = 1_000): Promise<number> {
  let removed = 0;
  for await (const keys of redis.scanIterator({ MATCH: `${literal(prefix)}*`, COUNT: batchSize })) {
    if (keys.length > 0) removed += await redis.unlink(keys);
  }
  return removed;
}
