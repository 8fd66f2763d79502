// `npm run dev`: the whole system in one process (see README). Ctrl-C stops it.
import { createLogger, oneRedisTarget, parseEnv, stopOnSignals } from '../services/platform/index.ts';
import { banner } from './dev/banner.ts';
import { devEnvSchema } from './dev/env.ts';
import { missingPrerequisite } from './dev/prerequisites.ts';
import { DevStack } from './dev/stack.ts';

const log = createLogger('dev');

async function main(): Promise<void> {
  const env = parseEnv(devEnvSchema.refine(...oneRedisTarget));
  const missing = await missingPrerequisite(env);
  if (missing !== undefined) {
    process.stderr.write(`${missing}\n`);
    process.exit(1);
  }

  const stack = new DevStack(log);
  const started = stack.start(env);
  // Let a start-up in progress finish first, so nothing it spawns outlives us.
  stopOnSignals(log, () => started.then(() => stack.stopAll(), () => stack.stopAll()));
  try {
    process.stdout.write(banner(await started));
  } catch (error) {
    log.error({ err: error }, 'start-up failed');
    await stack.stopAll();
    process.exit(1);
  }
}

await main();
