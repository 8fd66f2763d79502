// Benchmarks that start whole services as child processes (so each gets its own event loop and the
// figures include real HTTP), and stop them when the benchmark ends (or, at the latest, when we exit).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMMAND_API_NODE_FLAGS } from '../../services/command-api/node-flags.ts';
import { findFreePort, startRedisServer } from '../../services/platform/index.ts';

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));

/** Stops every child started so far and waits (bounded) until they have gone, so the next benchmark has the cores. */
export async function stopChildProcesses(): Promise<void> {
  const running = children.splice(0).filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  await Promise.race([Promise.all(running.map((child) => once(child, 'exit'))), sleep(5_000)]);
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Starts a TypeScript entry point with tsx; `ready` resolves with the first capture group of
 * `readyPattern` (or the whole match) once the child prints it on stdout.
 */
export function startChildProcess(
  file: string,
  args: string[],
  env: Record<string, string>,
  readyPattern: RegExp,
  nodeFlags: readonly string[] = [],
): { pid: number; ready: Promise<string> } {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', file, ...args], {
    // Benchmarks measure the ledger, not the token check, and drive one client far past any rate limit.
    env: { ...process.env, LOG_LEVEL: 'warn', AUTH_DISABLED: 'true', COMMAND_RATE_LIMIT_PER_SECOND: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const ready = new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = readyPattern.exec(output);
      if (match) resolve(match[1] ?? match[0]);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
  return { pid: child.pid ?? 0, ready };
}

/** Polls `url` until it answers 2xx (services answer /ready once their dependencies are reachable). */
export async function waitForHttp(url: string, attempts = 400): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered`);
}

/** services/esdb-memory in its own process, once it listens. */
export async function startEsdbChild(): Promise<{ pid: number; connectionString: string }> {
  const esdb = startChildProcess('services/esdb-memory/main.ts', ['--port', String(await findFreePort())], {}, /"connectionString":"([^"]+)"/);
  return { pid: esdb.pid, connectionString: await esdb.ready };
}

/** services/esdb-memory in its own process; resolves with its connection string. */
export const startEsdbProcess = async (): Promise<string> => (await startEsdbChild()).connectionString;

/** The command API in its own process, with the V8 flags it runs with (npm run command-api), once ready. */
export async function startCommandApiProcess(env: Record<string, string>): Promise<{ pid: number; url: string }> {
  const port = await findFreePort();
  // It keeps the keys that seal holders' names in Redis: a redis-server of its own (stopped when we exit) unless given one.
  const redisUrl = env.REDIS_URL ?? (await startRedisServer({ ownProcessGroup: true })).url;
  const api = startChildProcess('services/command-api/main.ts', [], { COMMAND_API_PORT: String(port), COMMAND_API_HOST: '127.0.0.1', REDIS_URL: redisUrl, ...env }, /$^/, COMMAND_API_NODE_FLAGS);
  void api.ready.catch(() => undefined);
  await waitForHttp(`http://127.0.0.1:${port}/ready`);
  return { pid: api.pid, url: `http://127.0.0.1:${port}/graphql` };
}
