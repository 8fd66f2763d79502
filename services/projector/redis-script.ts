import { createHash } from 'node:crypto';
import { assertOneSlot, type RedisClient } from '../platform/index.ts';

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 and sends the source only when Redis does not know it (a fresh or
 * restarted server), so the common case costs a 40-byte hash rather than the whole script. A script
 * whose keys span two hash slots is refused before it is sent, on a single Redis too: Redis Cluster
 * would refuse it (CROSSSLOT), and the test suite runs on a single Redis by default.
 */
export async function runScript(redis: RedisClient, script: string, keys: string[], args: string[]): Promise<unknown> {
  assertOneSlot('a Lua script', keys);
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = sha1(script);
    shas.set(script, sha);
  }
  try {
    return await redis.evalSha(sha, { keys, arguments: args });
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, { keys, arguments: args });
  }
}
