// Shared by the ops tests: runs a command line in-process against the run's servers and captures
// what a terminal would show.
import { setTimeout as sleep } from 'node:timers/promises';
import { esdbConnectionString, redisUrl } from '../../test/harness.ts';
import { runOps } from './cli.ts';
import type { OpsIo } from './command.ts';
import type { GroupStatus } from './subscription-groups.ts';

export interface OpsRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The questions io.confirm was asked. */
  readonly questions: readonly string[];
}

/** `npm run ops -- …argv`; `answer` is what the operator types at a confirmation prompt; `env` overrides the run's servers. */
export async function ops(argv: readonly string[], answer = false, env: NodeJS.ProcessEnv = {}): Promise<OpsRun> {
  let stdout = '';
  let stderr = '';
  const questions: string[] = [];
  const io: OpsIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    confirm: async (question) => {
      questions.push(question);
      return answer;
    },
    env: { ESDB_CONNECTION_STRING: esdbConnectionString(), REDIS_URL: redisUrl(), ...env },
  };
  const code = await runOps(argv, io);
  return { code, stdout, stderr, questions };
}

/** The JSON document a `--json` command printed. */
export const parsedJson = (run: OpsRun): unknown => JSON.parse(run.stdout);

/** The JSON Lines a `--json` streaming command printed. */
export const parsedLines = (run: OpsRun): unknown[] => run.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));

/** Polls `check` until it holds; fails after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

export const info = async (group: string): Promise<GroupStatus> => parsedJson(await ops(['subscriptions', 'info', group, '--json'])) as GroupStatus;
