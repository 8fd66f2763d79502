// Shared by the rebuild tests: the rebuild command run in-process with a test's own projection, and the
// long-running projector workers (version followers) beside it.
import { PersistentSubscriptionDoesNotExistError } from '@eventstore/db-client';
import { Registry } from 'prom-client';
import { ExitCode, rebuildCommand, type OpsIo, type RebuildSettings } from '../services/ops/index.ts';
import { createLogger, redisEnvOf, scanKeysUnder, type RedisClient } from '../services/platform/index.ts';
import { createProjectorMetrics, namespacePrefix, VersionFollower, type Projection } from '../services/projector/index.ts';
import { esdbConnectionString, newEsdbClient, redisTarget } from './harness.ts';

export const silentLog = createLogger('ops-rebuild-test').child({}, { level: 'silent' });

/** Short waits, so that tests do not sit through production's safety margins. */
export const testRebuildSettings: RebuildSettings = { lockTtlMs: 3_000, graceMs: 1_500, pollMs: 100, catchUpScanLimit: 10_000 };

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningRebuild {
  /** What the command has written to stderr so far (a terminal's view: one `\r` per progress redraw). */
  readonly stderr: () => string;
  readonly done: Promise<CommandRun>;
}

export function startRebuild(projection: Projection, argv: readonly string[] = [projection.name, '--json']): RunningRebuild {
  let stdout = '';
  let stderr = '';
  const io: OpsIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    confirm: async () => false,
    env: { ESDB_CONNECTION_STRING: esdbConnectionString(), ...redisEnvOf(redisTarget()) },
    stderrIsTTY: true,
  };
  const done = rebuildCommand([projection], testRebuildSettings).run(argv, io).then((code) => ({ code, stdout, stderr }));
  return { stderr: () => stderr, done };
}

export const runRebuild = (projection: Projection, argv?: readonly string[]): Promise<CommandRun> => startRebuild(projection, argv).done;

export const rebuilt = (run: CommandRun): { from: number; to: number; resumed: boolean; removedKeys: number } => {
  if (run.code !== ExitCode.ok) throw new Error(`rebuild exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ReturnType<typeof rebuilt>;
};

/** A long-running projector worker process, as services/projector/main.ts starts it. */
export async function startFollower(projection: Projection): Promise<VersionFollower> {
  const follower = new VersionFollower({
    esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget(), projection, log: silentLog,
    metrics: createProjectorMetrics(new Registry()), progressIntervalMs: 0, bufferSize: 200, followIntervalMs: 200,
  });
  await follower.start();
  return follower;
}

export async function keysOfVersion(redis: RedisClient, projection: Projection, version: number): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of scanKeysUnder(redis, `${namespacePrefix({ projection: projection.name, version })}:`)) keys.push(...batch);
  return keys;
}

export async function groupExists(group: string): Promise<boolean> {
  try {
    await newEsdbClient().getPersistentSubscriptionToAllInfo(group);
    return true;
  } catch (error) {
    if (error instanceof PersistentSubscriptionDoesNotExistError) return false;
    throw error;
  }
}
