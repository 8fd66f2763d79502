import { z } from 'zod';
import { authEnvShape, oneRedisTarget, parseEnv, portSchema, redisEnvShape } from '../platform/index.ts';

// No EventStoreDB setting on purpose: the query API reads Redis only.
export const queryApiEnvSchema = z.object({
  ...authEnvShape,
  QUERY_API_PORT: portSchema.default(4001),
  QUERY_API_HOST: z.string().min(1).default('0.0.0.0'),
  ...redisEnvShape,
  /** The projection whose read models this API serves (its active version is read from Redis). */
  QUERY_PROJECTION: z.string().min(1).default('accounts'),
  /** Longest a query with a consistencyToken waits for the read model to catch up. */
  QUERY_CONSISTENCY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Largest `first` a connection accepts; bigger asks are refused rather than silently cut. */
  QUERY_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1_000).default(100),
  /** Queries are small; anything bigger than this is refused before it is parsed. */
  QUERY_API_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(10_000_000).default(65_536),
  QUERY_API_GRAPHIQL: z.stringbool().default(false),
});

export type QueryApiEnv = z.output<typeof queryApiEnvSchema>;

export function readQueryApiEnv(env: NodeJS.ProcessEnv = process.env): QueryApiEnv {
  return parseEnv(queryApiEnvSchema.refine(...oneRedisTarget), env);
}
