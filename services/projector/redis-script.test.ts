import { describe, expect, it } from 'vitest';
import { newRedisClient, uniqueStreamName } from '../../test/harness.ts';
import { CrossSlotError } from '../platform/index.ts';
import { runScript } from './redis-script.ts';

const redis = await newRedisClient();
const SET_BOTH = "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return 1";

describe('runScript', () => {
  it('runs a script whose keys share a hash tag', async () => {
    const tag = uniqueStreamName('script');
    const keys = [`{${tag}}:a`, `{${tag}}:b`];
    expect(await runScript(redis, SET_BOTH, keys, ['written'])).toBe(1);
    expect(await redis.get(keys[1]!)).toBe('written');
  });

  // Refused on a single Redis too, where the server itself would have run it: the guard is ours.
  it('refuses a script whose keys span two hash slots, naming them, and writes nothing', async () => {
    const keys = [`${uniqueStreamName('script')}:a`, `${uniqueStreamName('script')}:b`];
    const call = runScript(redis, SET_BOTH, keys, ['written']);
    await expect(call).rejects.toThrow(CrossSlotError);
    await expect(call).rejects.toThrow(`${keys[0]} (slot`);
    expect(await redis.get(keys[0]!)).toBeNull();
    expect(await redis.get(keys[1]!)).toBeNull();
  });
});
