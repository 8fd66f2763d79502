import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findFreePort } from './free-port.ts';
import type { RedisTarget } from './redis-target.ts';

export interface RedisServerOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Working directory; absent: a temporary one, removed on stop. */
  dir?: string;
  /** Keep data across restarts (append-only file in `dir`); off for throwaway test servers. */
  durable?: boolean;
  /** Start it in its own process group, so signals sent to the caller's group (a terminal's Ctrl-C) skip it. */
  ownProcessGroup?: boolean;
  /** Run it as a node of a Redis Cluster (its cluster state file in `dir`); see redis-cluster-server.ts. */
  clusterEnabled?: boolean;
}

export interface RunningRedisServer {
  url: string;
  /** The same server, as services are told where their Redis is. */
  target: RedisTarget;
  port: number;
  stop(): Promise<void>;
}

export class RedisServerNotFoundError extends Error {
  constructor() {
    super(
      "redis-server not found on PATH: install it with 'apt-get install -y redis-server' (or set REDIS_URL to a running Redis)",
    );
    this.name = 'RedisServerNotFoundError';
  }
}

const host = '127.0.0.1';
const readyTimeoutMs = 10_000;
const stopTimeoutMs = 5_000;

export function findRedisServerBinary(): string | undefined {
  return findBinary('redis-server');
}

/** The path of an executable on the PATH, if any. */
export function findBinary(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder; keep looking
    }
  }
  return undefined;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedisServer> {
  const binary = findRedisServerBinary();
  if (binary === undefined) throw new RedisServerNotFoundError();

  const port = options.port ? options.port : await findFreePort(host);
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ledgerline-redis-')));
  await mkdir(dir, { recursive: true });

  const persistence = options.durable ? ['--appendonly', 'yes'] : ['--save', '', '--appendonly', 'no'];
  const cluster = options.clusterEnabled ? ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'] : [];
  const child = spawn(binary, ['--port', String(port), '--bind', host, '--dir', dir, ...persistence, ...cluster], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  let output = '';
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keepOutput);
  child.stderr?.on('data', keepOutput);

  const removeDir = async (): Promise<void> => {
    if (ownsDir) await rm(dir, { recursive: true, force: true });
  };
  // Signals to our group skip a child in its own group, so make sure it does not outlive us, however we
  // exit (a second Ctrl-C exits at once): Redis still shuts down cleanly on SIGTERM.
  const stopWhenWeExit = (): void => {
    child.kill('SIGTERM');
  };
  if (options.ownProcessGroup) process.once('exit', stopWhenWeExit);

  try {
    await waitUntilAnswersPing(child, port, () => output);
  } catch (error) {
    process.off('exit', stopWhenWeExit);
    await stopChild(child);
    await removeDir();
    throw error;
  }

  const url = `redis://${host}:${port}`;
  return {
    url,
    target: { kind: 'node', url },
    port,
    async stop() {
      process.off('exit', stopWhenWeExit);
      await stopChild(child);
      await removeDir();
    },
  };
}

async function waitUntilAnswersPing(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited before it was ready on port ${port}:\n${output()}`);
    }
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer PING on port ${port} within ${readyTimeoutMs} ms:\n${output()}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forceKill = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
