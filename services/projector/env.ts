import { z } from 'zod';
import { defaultEsdbConnectionString, esdbConnectionStringSchema, parseEnv, portSchema } from '../platform/index.ts';

export const projectorEnvSchema = z.object({
  ESDB_CONNECTION_STRING: esdbConnectionStringSchema.default(defaultEsdbConnectionString),
  REDIS_URL: z.string().startsWith('redis').default('redis://127.0.0.1:6379'),
  /** /metrics, /health and /ready. */
  PROJECTOR_PORT: portSchema.default(9464),
  PROJECTOR_HOST: z.string().min(1).default('0.0.0.0'),
  /** Events in flight per worker and group: the worker's concurrency. */
  PROJECTOR_BUFFER_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /**
   * How the server spreads a group's events over its workers (subscription-group.ts explains the default).
   * Only applies when this worker creates the group: an existing group keeps the strategy it was made with.
   */
  PROJECTOR_CONSUMER_STRATEGY: z.enum(['RoundRobin', 'Pinned']).default('RoundRobin'),
});

export type ProjectorEnv = z.output<typeof projectorEnvSchema>;

export function readProjectorEnv(env: NodeJS.ProcessEnv = process.env): ProjectorEnv {
  return parseEnv(projectorEnvSchema, env);
}
