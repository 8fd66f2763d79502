// A Redis Cluster of our own (not the run's shared Redis), so these checks hold in every test mode.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashSlot } from './hash-slot.ts';
import { createLogger } from './logger.ts';
import { createRedisClient, isCluster, type RedisClient } from './redis-client.ts';
import { startRedisCluster, type RunningRedisCluster } from './redis-cluster-server.ts';
import { flushAllServers, infoOfEachServer, isRedisReachable, removeKeysUnder, scanKeysUnder } from './redis-nodes.ts';

const log = createLogger('cluster-test').child({}, { level: 'silent' });
let cluster: RunningRedisCluster;
const clients: RedisClient[] = [];
const connected = async (): Promise<RedisClient> => {
  const client = createRedisClient(cluster.target, log);
  clients.push(client);
  await client.connect();
  return client;
};

beforeAll(async () => {
  cluster = await startRedisCluster(3);
});
afterAll(async () => {
  clients.forEach((client) => client.destroy());
  await cluster?.stop();
});

// Keys with these tags land in three slots served by three different masters (slots are split evenly).
const spread = ['{a}', '{b}', '{c}'].map((tag) => ({ tag, slot: hashSlot(tag) }));

describe('startRedisCluster', () => {
  it('starts three masters serving all slots, reachable and ready through one client', async () => {
    expect(cluster.target.nodes).toHaveLength(3);
    const redis = await connected();
    expect(await isRedisReachable(redis)).toBe(true);
    const infos = await infoOfEachServer(redis, 'cluster');
    expect(infos).toHaveLength(3);
    for (const info of infos) expect(info).toContain('cluster_enabled:1');
    if (!isCluster(redis)) throw new Error('expected a cluster client');
    expect(new Set(spread.map(({ slot }) => redis.getSlotMaster(slot).address)).size).toBe(3);
  });

  it('removes a prefix from every master, slot by slot, and flushes them all', async () => {
    const redis = await connected();
    const keys = Array.from({ length: 300 }, (_, at) => `rm:sweep:{k${at}}:summary`);
    await Promise.all(keys.map((key) => redis.set(key, 'x')));
    await redis.set('rm:kept:{k1}', 'x');
    const scanned: string[] = [];
    for await (const batch of scanKeysUnder(redis, 'rm:sweep:', 50)) scanned.push(...batch);
    expect(scanned.sort()).toEqual([...keys].sort());
    expect(await removeKeysUnder(redis, 'rm:sweep:', 50)).toBe(300);
    expect(await redis.get(keys[0]!)).toBeNull();
    expect(await redis.get('rm:kept:{k1}')).toBe('x');
    await flushAllServers(redis);
    expect(await redis.get('rm:kept:{k1}')).toBeNull();
  });

  it('delivers a message published on any master, by a script too, to a pattern subscriber connected elsewhere', async () => {
    const [publisher, subscriber] = [await connected(), await connected()];
    const received: string[] = [];
    await subscriber.pSubscribe('rm:feed:v*:applied', (message) => received.push(message));
    for (const { tag } of spread) {
      await publisher.eval("return redis.call('PUBLISH', ARGV[1], ARGV[2])", { keys: [`rm:feed:${tag}`], arguments: ['rm:feed:v1:applied', tag] });
    }
    await vi.waitFor(() => expect(received.sort()).toEqual(spread.map(({ tag }) => tag).sort()), { timeout: 5_000 });
  });

  it('is gone after stop', async () => {
    const own = await startRedisCluster(3);
    await own.stop();
    const { host, port } = own.target.nodes[0]!;
    const late = createClient({ socket: { host, port, reconnectStrategy: false } });
    late.on('error', () => {});
    await expect(late.connect()).rejects.toThrow();
  });
});
