import { createHash } from 'node:crypto';
import type { RedisClient } from '../platform/index.ts';

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 and sends the source only when Redis does not know it (a fresh or
 * restarted server), so the common case costs a 40-byte hash rather than the whole script.
 */
export async function runScript(redis: RedisClient, script: string, keys: string[], args: string[]): Promise<unknown> {
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
