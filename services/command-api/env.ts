import { z } from 'zod';
import { authEnvShape, defaultEsdbConnectionString, esdbConnectionStringSchema, parseEnv, portSchema } from '../platform/index.ts';

export const commandApiEnvSchema = z.object({
  ...authEnvShape,
  COMMAND_API_PORT: portSchema.default(4000),
  COMMAND_API_HOST: z.string().min(1).default('0.0.0.0'),
  ESDB_CONNECTION_STRING: esdbConnectionStringSchema.default(defaultEsdbConnectionString),
  /** Where the per-account keys that seal personal data live (platform/key-store.ts). */
  REDIS_URL: z.string().startsWith('redis').default('redis://127.0.0.1:6379'),
  /** Retries after a wrong-expected-version conflict when the client gave no expectedRevision. */
  COMMAND_MAX_CONFLICT_RETRIES: z.coerce.number().int().min(0).max(100).default(10),
  COMMAND_RETRY_BASE_DELAY_MS: z.coerce.number().min(0).max(1_000).default(5),
  /** Account streams whose folded state stays in memory between commands; 0 reads every stream afresh. */
  COMMAND_CACHED_STREAMS: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
  /**
   * How many of an account's latest events a command reads when it has no cached view: bounds that read
   * however long the stream grows, and is how far back a repeated commandId is still recognised.
   */
  COMMAND_RECENT_EVENTS: z.coerce.number().int().min(2).max(100_000).default(100),
  /** Commands are small; anything bigger than this is refused before it is parsed. */
  COMMAND_API_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(10_000_000).default(65_536),
  COMMAND_API_GRAPHIQL: z.stringbool().default(false),
  /** Mutations per second each client (token subject) may send to one replica; 0 turns the limit off. */
  COMMAND_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(50),
  /** How many mutations a client may send at once before the per-second rate applies. */
  COMMAND_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(100),
});

export type CommandApiEnv = z.output<typeof commandApiEnvSchema>;

export function readCommandApiEnv(env: NodeJS.ProcessEnv = process.env): CommandApiEnv {
  return parseEnv(commandApiEnvSchema, env);
}
