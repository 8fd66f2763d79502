import { describe, expect, it } from 'vitest';
import { newRedisClient } from '../../test/harness.ts';
import { refreshAccountGlobals } from './account-globals.ts';
import { globalKeys } from './read-model-keys.ts';

const redis = await newRedisClient();

const opened = '2026-01-01T00:00:00.000Z';
const snapshot = (aggregateId: string, revision: bigint, status: string, balanceMinor: string, currency = 'EUR') => ({
  aggregateId, revision, fields: [status, currency, balanceMinor, opened],
});

describe('account globals', () => {
  it('folds the newest snapshot per account once, ignores stale ones, and keeps balance totals exact beyond 2^53', async () => {
    const ns = { projection: `globals-${Date.now()}`, version: 1 };
    const keys = globalKeys(ns);
    const huge = '9007199254740993';
    await refreshAccountGlobals(redis, ns, [
      snapshot('a', 0n, 'open', '0'), snapshot('a', 3n, 'open', huge), snapshot('b', 1n, 'open', '7'), snapshot('c', 0n, 'open', '5', 'JPY'),
    ]);
    expect(await redis.hGetAll(keys.stats)).toEqual({
      'accounts:open': '3', 'balance:EUR': '9007199254741000', 'balance:JPY': '5', events: '7',
    });

    await refreshAccountGlobals(redis, ns, [snapshot('a', 2n, 'open', '1'), snapshot('a', 3n, 'open', huge)]);
    await refreshAccountGlobals(redis, ns, [snapshot('a', 5n, 'open', '2'), snapshot('b', 2n, 'closed', '0')]);
    expect(await redis.hGetAll(keys.stats)).toEqual({
      'accounts:open': '2', 'accounts:closed': '1', 'balance:EUR': '2', 'balance:JPY': '5', events: '10',
    });
    expect(await redis.zScore(keys.byBalance('EUR'), 'a')).toBe(2);
    expect(await redis.zScore(keys.byStatus('open', 'EUR'), 'b')).toBeNull();
    expect(await redis.zScore(keys.byStatus('closed', 'EUR'), 'b')).toBe(Date.parse(opened));
    expect(await redis.zCard(keys.byOpenedAt)).toBe(3);
  });
});
