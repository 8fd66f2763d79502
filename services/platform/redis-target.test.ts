import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeRedisTarget, oneRedisTarget, redisEnvOf, redisEnvShape, redisTargetOf } from './redis-target.ts';

const schema = z.object(redisEnvShape).refine(...oneRedisTarget);
const errorOf = (env: Record<string, string>): string | undefined => {
  const parsed = schema.safeParse(env);
  return parsed.error && z.prettifyError(parsed.error);
};

describe('the Redis target from the environment', () => {
  it('is one node from REDIS_URL, a Redis on this machine when nothing is set', () => {
    expect(redisTargetOf(schema.parse({ REDIS_URL: 'redis://cache:6380' }))).toEqual({ kind: 'node', url: 'redis://cache:6380' });
    expect(redisTargetOf(schema.parse({}))).toEqual({ kind: 'node', url: 'redis://127.0.0.1:6379' });
  });

  it('is a cluster from REDIS_CLUSTER_NODES, and goes back to the same variable for a child process', () => {
    const target = redisTargetOf(schema.parse({ REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.2:7001,[::1]:7002' }));
    expect(target).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'redis-1', port: 7000 }, { host: '10.0.0.2', port: 7001 }, { host: '::1', port: 7002 }],
    });
    expect(redisEnvOf(target)).toEqual({ REDIS_CLUSTER_NODES: 'redis-1:7000,10.0.0.2:7001,[::1]:7002' });
    expect(describeRedisTarget(target)).toBe('cluster redis-1:7000,10.0.0.2:7001,[::1]:7002');
  });

  it('refuses both variables at once, and malformed node lists, saying what is expected', () => {
    expect(errorOf({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'a:7000' })).toContain('set REDIS_URL (one node) or REDIS_CLUSTER_NODES (a cluster), not both');
    for (const bad of ['', 'redis://a:7000', 'a', 'a:70000', 'a:7000,,b:7001']) {
      expect(errorOf({ REDIS_CLUSTER_NODES: bad })).toContain('expected host:port,host:port,… (some nodes of the cluster)');
    }
  });
});
