import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { esdbConnectionStringSchema, portSchema } from '../../services/platform/index.ts';

const repoDataDir = fileURLToPath(new URL('../../.data', import.meta.url));

export const devEnvSchema = z.object({
  ESDB_PORT: portSchema.default(2113),
  REDIS_PORT: portSchema.default(6379),
  COMMAND_API_PORT: portSchema.default(4000),
  QUERY_API_PORT: portSchema.default(4001),
  PROJECTOR_PORT: portSchema.default(9464),
  /** Where the embedded server and the local redis-server keep their data (esdb/, redis/). */
  DEV_DATA_DIR: z.string().min(1).default(repoDataDir),
  /** A running EventStoreDB to use instead of starting the embedded server. */
  ESDB_CONNECTION_STRING: esdbConnectionStringSchema.optional(),
  /** A running Redis to use instead of starting redis-server. */
  REDIS_URL: z.string().startsWith('redis').optional(),
});

export type DevEnv = z.output<typeof devEnvSchema>;

/** The ports the launcher itself listens on, by the variable that sets each; servers it does not start are left out. */
export function ownPorts(env: DevEnv): Array<{ variable: string; port: number }> {
  const ports = [
    { variable: 'COMMAND_API_PORT', port: env.COMMAND_API_PORT },
    { variable: 'QUERY_API_PORT', port: env.QUERY_API_PORT },
    { variable: 'PROJECTOR_PORT', port: env.PROJECTOR_PORT },
  ];
  if (env.ESDB_CONNECTION_STRING === undefined) ports.push({ variable: 'ESDB_PORT', port: env.ESDB_PORT });
  if (env.REDIS_URL === undefined) ports.push({ variable: 'REDIS_PORT', port: env.REDIS_PORT });
  return ports;
}
