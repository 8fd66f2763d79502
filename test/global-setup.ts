import type { TestProject } from 'vitest/node';
import { z } from 'zod';
import { oneRedisTarget, redisEnvShape, redisTargetOf, startRedisCluster, startRedisServer, type RedisTarget } from '../services/platform/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    esdbConnectionString: string;
    redisTarget: RedisTarget;
  }
}

/**
 * Starts one EventStoreDB-compatible server and one Redis for the whole run, unless the environment
 * points at real ones. The Redis is a single redis-server, or a local 3-master Redis Cluster when
 * TEST_REDIS_CLUSTER=1. Tests share them, so they must use unique stream names and keys.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const teardown = async (): Promise<void> => {
    await Promise.all(stops.map((stop) => stop()));
  };

  try {
    const esdbConnectionString = process.env.ESDB_CONNECTION_STRING ?? (await startEmbeddedEsdb(stops));
    project.provide('esdbConnectionString', esdbConnectionString);
    project.provide('redisTarget', await redisForTests(stops));
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

async function startEmbeddedEsdb(stops: Array<() => Promise<void>>): Promise<string> {
  // Imported lazily so a run against a real EventStoreDB never loads the embedded one.
  const { startEsdbMemory } = await import('../services/esdb-memory/index.ts');
  const server = await startEsdbMemory({ port: 0 });
  stops.push(() => server.stop());
  return server.connectionString;
}

/** REDIS_URL or REDIS_CLUSTER_NODES when set (a real Redis), else one started here. */
async function redisForTests(stops: Array<() => Promise<void>>): Promise<RedisTarget> {
  const env = z.object(redisEnvShape).refine(...oneRedisTarget).parse(process.env);
  if (env.REDIS_URL !== undefined || env.REDIS_CLUSTER_NODES !== undefined) return redisTargetOf(env);
  const server = process.env.TEST_REDIS_CLUSTER === '1' ? await startRedisCluster(3) : await startRedisServer();
  stops.push(() => server.stop());
  return server.target;
}
