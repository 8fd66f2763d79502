import { z } from 'zod';
import { defaultEsdbConnectionString, esdbConnectionStringSchema } from '../platform/index.ts';

export const opsEnvSchema = z.object({
  ESDB_CONNECTION_STRING: esdbConnectionStringSchema.default(defaultEsdbConnectionString),
  REDIS_URL: z.string().startsWith('redis').default('redis://127.0.0.1:6379'),
});

export type OpsEnv = z.output<typeof opsEnvSchema>;

/** Like platform's parseEnv, but throws: the CLI runs in tests in-process and must not exit the runner. */
export function readOpsEnv(env: NodeJS.ProcessEnv): OpsEnv {
  const parsed = opsEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
