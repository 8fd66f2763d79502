import { connect, createServer } from 'node:net';
import { createEsdbClient, findRedisServerBinary, isEsdbReachable } from '../../services/platform/index.ts';
import { ownPorts, runsOnGivenRedis, type DevEnv } from './env.ts';

/**
 * Everything `npm run dev` needs that it cannot provide itself. Answers one sentence saying what to
 * do about the first thing missing, or undefined when all is there.
 */
export async function missingPrerequisite(env: DevEnv): Promise<string | undefined> {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 20) return `Node ${process.versions.node} is too old: install Node 20 or newer.`;
  if (!runsOnGivenRedis(env) && findRedisServerBinary() === undefined) {
    return "redis-server is not installed: install it with 'apt-get install -y redis-server' (or set REDIS_URL to a running Redis).";
  }
  for (const { variable, port } of ownPorts(env)) {
    if (port !== 0 && !(await isPortFree(port))) {
      return `Port ${port} is already in use: stop what listens there (an earlier 'npm run dev'?) or set ${variable} to another port.`;
    }
  }
  if (env.ESDB_CONNECTION_STRING !== undefined && !(await answersEsdb(env.ESDB_CONNECTION_STRING))) {
    return `No EventStoreDB answers at ${env.ESDB_CONNECTION_STRING}: start it ('docker compose up -d eventstore') or unset ESDB_CONNECTION_STRING to use the embedded server.`;
  }
  const redis = env.REDIS_URL === undefined ? undefined : new URL(env.REDIS_URL);
  if (redis !== undefined && !(await acceptsTcp(redis.hostname, Number(redis.port || 6379)))) {
    return `No Redis answers at ${env.REDIS_URL}: start it ('docker compose up -d redis') or unset REDIS_URL to start a local redis-server.`;
  }
  for (const { host, port } of env.REDIS_CLUSTER_NODES ?? []) {
    if (!(await acceptsTcp(host, port))) {
      return `No Redis Cluster node answers at ${host}:${port}: start the cluster or correct REDIS_CLUSTER_NODES.`;
    }
  }
  return undefined;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    // Probe the wildcard address: the APIs listen there, and it also collides with a server on 127.0.0.1.
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

async function answersEsdb(connectionString: string): Promise<boolean> {
  const client = createEsdbClient(connectionString);
  try {
    return await isEsdbReachable(client, 3_000);
  } finally {
    await client.dispose();
  }
}

/** True when something accepts TCP connections at host:port (within 3 s). */
export function acceptsTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (accepted: boolean): void => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(3_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => finish(true));
  });
}
