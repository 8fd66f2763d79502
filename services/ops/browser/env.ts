import { z } from 'zod';
import { defaultEsdbConnectionString, esdbConnectionStringSchema, parseEnv, portSchema } from '../../platform/index.ts';

export const browserEnvSchema = z.object({
  BROWSE_PORT: portSchema.default(4002),
  // Localhost by default: the pages show every event, with no login in front of them.
  BROWSE_HOST: z.string().min(1).default('127.0.0.1'),
  ESDB_CONNECTION_STRING: esdbConnectionStringSchema.default(defaultEsdbConnectionString),
  QUERY_API_URL: z.url().default('http://127.0.0.1:4001/graphql'),
  /** An auditor's bearer token for the query API; without one the account summaries are not shown. */
  QUERY_API_TOKEN: z.string().min(1).optional(),
  /** Events per stream page. */
  BROWSE_PAGE_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** Most events a category listing, or a trace on a server without projections, reads. */
  BROWSE_SCAN_LIMIT: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
});

export type BrowserEnv = z.output<typeof browserEnvSchema>;

export function readBrowserEnv(env: NodeJS.ProcessEnv = process.env): BrowserEnv {
  return parseEnv(browserEnvSchema, env);
}
