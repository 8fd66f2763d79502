import { z } from 'zod';
import { oneRedisTarget, redisEnvShape } from '../platform/index.ts';

export const opsEnvSchema = z.object({
  ESDB_CONNECTION_STRING: z.string().startsWith('esdb').default('esdb://127.0.0.1:2113?tls=false'),
  ...redisEnvShape,
});

export type OpsEnv = z.output<typeof opsEnvSchema>;

/** Like platform's parseEnv, but throws: the CLI runs in tests in-process and must not exit the runner. */
export function readOpsEnv(env: NodeJS.ProcessEnv): OpsEnv {
  const parsed = opsEnvSchema.refine(...oneRedisTarget).safeParse(env);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
