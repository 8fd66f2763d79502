// The embedded server as a child process with --db, so a test can kill it and start it again on the
// same data directory and port while clients stay connected to that address.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = join(import.meta.dirname, '..', '..');

export interface EsdbProcess {
  readonly connectionString: string;
  /** Ends the process with `signal` and resolves once it has exited. */
  stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
}

export async function startEsdbProcess(dbDir: string, port: number): Promise<EsdbProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'services/esdb-memory/main.ts', '--port', String(port), '--db', dbDir],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connectionString = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`esdb-memory exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('esdb-memory listening')) resolve((JSON.parse(line) as { connectionString: string }).connectionString);
    });
  });
  return {
    connectionString,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
