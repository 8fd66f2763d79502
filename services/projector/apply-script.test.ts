import { describe, expect, it, vi } from 'vitest';
import { newRedisClient, uniqueStreamName } from '../../test/harness.ts';
import { runApplyBatch, runApplyScript } from './apply-script.ts';
import type { PlannedApply } from './projection.ts';

const redis = await newRedisClient();

const planFor = (tag: string, by: number): PlannedApply => ({
  aggregateId: tag,
  revisionKey: `rm:t:v1:{${tag}}:summary`,
  effects: [{ kind: 'hincrby', key: `rm:t:v1:{${tag}}:summary`, field: 'total', by }],
});

describe('apply script', () => {
  it('applies the next revision, skips one already applied, and refuses a gap without writing', async () => {
    const tag = uniqueStreamName('agg');
    const apply = (revision: bigint, by: number) => runApplyScript(redis, planFor(tag, by), revision, { channel: `ch:${tag}`, stream: tag });
    expect(await apply(0n, 5)).toEqual({ kind: 'applied' });
    expect(await apply(0n, 5)).toEqual({ kind: 'duplicate' });
    expect(await apply(2n, 7)).toEqual({ kind: 'gap', storedRevision: 0n });
    expect(await apply(1n, 1)).toEqual({ kind: 'applied' });
    expect(await redis.hGetAll(`rm:t:v1:{${tag}}:summary`)).toEqual({ total: '6', revision: '1' });
  });

  it('refuses a plan whose keys lie in another hash slot, before anything reaches Redis', async () => {
    const tag = uniqueStreamName('agg');
    const plan: PlannedApply = { ...planFor(tag, 1), effects: [{ kind: 'zadd', key: 'rm:t:v1:{other}:index', score: 1, member: tag }] };
    await expect(runApplyScript(redis, plan, 0n, { channel: 'ch', stream: tag })).rejects.toThrow(/outside the hash slot/);
    expect(await redis.exists(`rm:t:v1:{${tag}}:summary`)).toBe(0);
  });

  it('applies a batch in order, skips what is already applied, stops at a gap, announces each applied revision, and reads the snapshot back after its writes', async () => {
    const tag = uniqueStreamName('agg');
    const event = (revision: bigint, by: number) => ({ plan: planFor(tag, by), revision });
    const notice = { channel: `ch:${tag}`, stream: tag };
    const messages: string[] = [];
    const subscriber = redis.duplicate();
    await subscriber.connect();
    await subscriber.subscribe(`ch:${tag}`, (message) => messages.push(message));
    try {
      expect(await runApplyBatch(redis, [event(0n, 5), event(1n, 1)], notice, ['total', 'missing'])).toEqual({
        outcomes: ['applied', 'applied'], storedRevision: 1n, snapshot: ['6', null],
      });
      expect(await runApplyBatch(redis, [event(1n, 1), event(2n, 2), event(4n, 4), event(5n, 5)], notice, ['total'])).toEqual({
        outcomes: ['duplicate', 'applied'], storedRevision: 2n, snapshot: ['8'],
      });
      expect(await runApplyBatch(redis, [event(4n, 4)], notice)).toEqual({ outcomes: [], storedRevision: 2n, snapshot: [] });
      expect(await redis.hGetAll(`rm:t:v1:{${tag}}:summary`)).toEqual({ total: '8', revision: '2' });
      // On a cluster the message crosses the cluster bus to the subscriber's node, after the script returned.
      const expected = [0, 1, 2].map((revision) => ({ stream: tag, revision }));
      await vi.waitFor(() => expect(messages.map((message) => JSON.parse(message) as unknown)).toEqual(expected), { timeout: 5_000 });
    } finally {
      subscriber.destroy();
    }
  });

  it('a batch leaves the keys as applying its new events one by one would, and events already applied write nothing', async () => {
    const tag = uniqueStreamName('agg');
    const summary = `rm:t:v1:{${tag}}:summary`;
    const history = `rm:t:v1:{${tag}}:history`;
    const plan = (effects: PlannedApply['effects']): PlannedApply => ({ aggregateId: tag, revisionKey: summary, effects });
    const notice = { channel: `ch:${tag}`, stream: tag };
    await runApplyBatch(redis, [{ plan: plan([{ kind: 'hset', key: summary, fields: { status: 'open', count: '10' } }]), revision: 0n }], notice);
    const outcome = await runApplyBatch(redis, [
      // Already applied: none of its writes may happen.
      { plan: plan([{ kind: 'hset', key: summary, fields: { status: 'stale' } }, { kind: 'hincrby', key: summary, field: 'count', by: 100 }]), revision: 0n },
      { plan: plan([{ kind: 'hincrby', key: summary, field: 'count', by: 2 }, { kind: 'zadd', key: history, score: 1, member: 'a' }]), revision: 1n },
      { plan: plan([{ kind: 'hset', key: summary, fields: { fresh: '0', status: 'busy' } }, { kind: 'hincrby', key: summary, field: 'fresh', by: 3 }]), revision: 2n },
      { plan: plan([{ kind: 'hincrby', key: summary, field: 'count', by: -1 }, { kind: 'zadd', key: history, score: 5, member: 'a' }, { kind: 'zadd', key: history, score: 2, member: 'b' }]), revision: 3n },
      { plan: plan([{ kind: 'hincrby', key: summary, field: 'later', by: 4 }, { kind: 'hset', key: summary, fields: { later: '7', status: 'closed' } }]), revision: 4n },
    ], notice);
    expect(outcome).toEqual({ outcomes: ['duplicate', 'applied', 'applied', 'applied', 'applied'], storedRevision: 4n, snapshot: [] });
    expect(await redis.hGetAll(summary)).toEqual({ status: 'closed', count: '11', fresh: '3', later: '7', revision: '4' });
    expect(await redis.zRangeWithScores(history, 0, -1)).toEqual([{ value: 'b', score: 2 }, { value: 'a', score: 5 }]);
  });

  it('refuses a malformed effect before writing anything', async () => {
    const tag = uniqueStreamName('agg');
    const summary = `rm:t:v1:{${tag}}:summary`;
    const plan = (by: number): PlannedApply => ({
      aggregateId: tag, revisionKey: summary,
      effects: [{ kind: 'hset', key: summary, fields: { status: 'open' } }, { kind: 'hincrby', key: summary, field: 'count', by }],
    });
    await expect(runApplyBatch(redis, [{ plan: plan(1), revision: 0n }, { plan: plan(0.5), revision: 1n }], { channel: 'ch', stream: tag })).rejects.toThrow(/effect not allowed/);
    expect(await redis.exists(summary)).toBe(0);
  });
});
