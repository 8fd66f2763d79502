// Benchmarks that start whole services as child processes (so each gets its own event loop and the
// figures include real HTTP), and stop them all when the benchmark exits.
import { spawn, type ChildProcess } from 'node:child_process';

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));

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
