import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { afterAll, inject } from 'vitest';
import { createLogger, createRedisClient, type RedisClient, type RedisTarget } from '../services/platform/index.ts';

/** Where the run's EventStoreDB listens: the embedded server, or ESDB_CONNECTION_STRING. */
export function esdbConnectionString(): string {
  return inject('esdbConnectionString');
}

/** Where the run's Redis is: a local redis-server or Redis Cluster, or REDIS_URL / REDIS_CLUSTER_NODES. */
export function redisTarget(): RedisTarget {
  return inject('redisTarget');
}

const openEsdbClients = new Set<EventStoreDBClient>();
const openRedisClients = new Set<RedisClient>();

// Each test file gets its own copy of this module, so this disposes that file's clients after its tests.
afterAll(async () => {
  const clients = [...openEsdbClients];
  openEsdbClients.clear();
  for (const redis of openRedisClients) redis.destroy();
  openRedisClients.clear();
  await Promise.all(clients.map((client) => client.dispose()));
});

/** A connected client for the run's Redis (or `target`), closed after the test file finishes. */
export async function newRedisClient(target: RedisTarget = redisTarget()): Promise<RedisClient> {
  const client = createRedisClient(target, createLogger('test-redis').child({}, { level: 'silent' }));
  openRedisClients.add(client);
  await client.connect();
  return client;
}

/** A client for the run's EventStoreDB, disposed after the test file finishes. */
export function newEsdbClient(): EventStoreDBClient {
  const client = EventStoreDBClient.connectionString(esdbConnectionString());
  openEsdbClients.add(client);
  return client;
}

/** A stream name no other test uses, since all tests share one server: `<prefix>-<uuid>`. */
export function uniqueStreamName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
