import { z } from 'zod';
import { defaultEsdbConnectionString, esdbConnectionStringSchema, parseEnv, portSchema } from '../platform/index.ts';

export const transfersEnvSchema = z.object({
  ESDB_CONNECTION_STRING: esdbConnectionStringSchema.default(defaultEsdbConnectionString),
  /** /metrics, /health and /ready. */
  TRANSFERS_PORT: portSchema.default(9465),
  TRANSFERS_HOST: z.string().min(1).default('0.0.0.0'),
  /** Transfers driven at once by this worker. */
  TRANSFERS_BUFFER_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
});

export type TransfersEnv = z.output<typeof transfersEnvSchema>;

export function readTransfersEnv(env: NodeJS.ProcessEnv = process.env): TransfersEnv {
  return parseEnv(transfersEnvSchema, env);
}
