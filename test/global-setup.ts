import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../services/platform/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    esdbConnectionString: string;
    redisUrl: string;
  }
}

/**
 * Starts one EventStoreDB-compatible server and one Redis for the whole run, unless the environment
 * points at real ones. Tests share them, so they must use unique stream names and keys.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const teardown = async (): Promise<void> => {
    await Promise.all(stops.map((stop) => stop()));
  };

  try {
    const esdbConnectionString = process.env.ESDB_CONNECTION_STRING ?? (await startEmbeddedEsdb(stops));
    const redisUrl = process.env.REDIS_URL ?? (await startLocalRedis(stops));
    project.provide('esdbConnectionString', esdbConnectionString);
    project.provide('redisUrl', redisUrl);
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

async function startLocalRedis(stops: Array<() => Promise<void>>): Promise<string> {
  const server = await startRedisServer();
  stops.push(() => server.stop());
  return server.url;
}
