import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findBinary, startRedisServer, type RunningRedisServer } from './redis-server.ts';
import type { RedisTarget } from './redis-target.ts';

const run = promisify(execFile);
const host = '127.0.0.1';
const readyTimeoutMs = 20_000;

export interface RunningRedisCluster {
  readonly target: Extract<RedisTarget, { kind: 'cluster' }>;
  stop(): Promise<void>;
}

/**
 * A throwaway Redis Cluster on this machine: `masters` redis-server processes in cluster mode (free
 * ports, temporary directories, nothing persisted), joined by `redis-cli --cluster create` without
 * replicas. Resolves once every node reports `cluster_state:ok`, i.e. all 16384 slots are served.
 */
export async function startRedisCluster(masters = 3): Promise<RunningRedisCluster> {
  const cli = findBinary('redis-cli');
  if (cli === undefined) throw new Error("redis-cli not found on PATH: install it with 'apt-get install -y redis-tools' (it comes with redis-server)");
  const servers: RunningRedisServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (let started = 0; started < masters; started++) servers.push(await startRedisServer({ clusterEnabled: true }));
    const addresses = servers.map(({ port }) => `${host}:${port}`);
    await run(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: readyTimeoutMs });
    await waitUntilClusterOk(cli, servers.map(({ port }) => port));
  } catch (error) {
    await stop();
    throw error;
  }
  return { target: { kind: 'cluster', nodes: servers.map(({ port }) => ({ host, port })) }, stop };
}

async function waitUntilClusterOk(cli: string, ports: readonly number[]): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let states: string[] = [];
  while (Date.now() < deadline) {
    states = await Promise.all(
      ports.map(async (port) => /cluster_state:(\w+)/.exec((await run(cli, ['-h', host, '-p', String(port), 'cluster', 'info'])).stdout)?.[1] ?? 'unknown'),
    );
    if (states.every((state) => state === 'ok')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the Redis Cluster on ports ${ports.join(', ')} did not reach cluster_state:ok within ${readyTimeoutMs} ms (states: ${states.join(', ')})`);
}
