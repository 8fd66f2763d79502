// A real projector worker in a process of its own (the benchmark's child, scripts/bench/projector-child.ts),
// so a test can end it with SIGKILL: no graceful stop, no acks flushed, whatever was in flight is lost.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RedisTarget } from '../../services/platform/index.ts';
import type { Projection } from '../../services/projector/index.ts';

const CHILD = join(import.meta.dirname, '..', '..', 'scripts', 'bench', 'projector-child.ts');

export interface ProjectorProcess {
  /** Joins the projection's group and starts projecting. */
  go(): void;
  kill(): Promise<void>;
}

/**
 * Starts the process and resolves once its code is loaded (which takes seconds on a busy machine), so
 * a test can load spares ahead and have one join at once when another is killed.
 */
export async function loadProjectorProcess(
  connection: { esdbConnectionString: string; redisTarget: RedisTarget },
  projection: Projection,
  bufferSize = 200,
): Promise<ProjectorProcess> {
  const args = ['projector', connection.esdbConnectionString, JSON.stringify(connection.redisTarget), projection.name, projection.streamPrefix, String(bufferSize)];
  const child: ChildProcess = fork(CHILD, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`projector exited with ${code} before it was loaded`)));
    child.on('message', (message: { loaded?: boolean; error?: string }) => {
      if (message.error) reject(new Error(message.error));
      if (message.loaded) resolve();
    });
  });
  return {
    go: () => void child.send('go'),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
