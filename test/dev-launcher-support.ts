// Runs `npm run dev`'s entry point as a child process, as a developer would, and watches what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { acceptsTcp } from '../scripts/dev/prerequisites.ts';

export interface Launcher {
  readonly child: ChildProcess;
  /** Everything printed so far on stdout and stderr. */
  readonly output: () => { stdout: string; stderr: string };
}

/** Starts scripts/dev.ts with exactly `env` added to this process's environment minus the server URLs. */
export function startLauncher(env: Record<string, string>): Launcher {
  const { ESDB_CONNECTION_STRING: _esdb, REDIS_URL: _redis, REDIS_CLUSTER_NODES: _cluster, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    env: { ...inherited, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, output: () => ({ stdout, stderr }) };
}

/** Resolves with stdout once it matches `pattern`; rejects if the launcher exits first or `timeoutMs` passes. */
export async function waitForOutput(launcher: Launcher, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout, stderr } = launcher.output();
    if (pattern.test(stdout)) return stdout;
    if (launcher.child.exitCode !== null) throw new Error(`launcher exited with ${launcher.child.exitCode}:\n${stdout}\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`launcher did not print ${pattern} within ${timeoutMs} ms:\n${JSON.stringify(launcher.output())}`);
}

/** Resolves with the exit code; kills the launcher and rejects if it is still running after `timeoutMs`. */
export async function exitCodeOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  if (signal === 'SIGKILL') throw new Error(`launcher did not exit within ${timeoutMs} ms`);
  return code;
}

/** The live child processes of `pid`, with their command names, from /proc. */
export function childProcessesOf(pid: number): Array<{ pid: number; command: string }> {
  const children: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push({ pid: Number(entry), command });
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export const isListening = (port: number): Promise<boolean> => acceptsTcp('127.0.0.1', port);

/** A POST the server has received (it answered 100 Continue) whose body has not arrived yet. */
export async function requestInFlight(port: number): Promise<ClientRequest> {
  const pending = request({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'content-length': '100', expect: '100-continue' } });
  pending.on('error', () => undefined); // the launcher cuts it when it exits
  await once(pending, 'continue');
  pending.write('{"query":');
  return pending;
}

export async function portCloses(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await isListening(port)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !(await isListening(port));
}

/** Polls until `pid` is gone; false if it is still there after `timeoutMs`. */
export async function processEnds(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processExists(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return !processExists(pid);
}
