// services/query-api: GraphQL queries and subscriptions over the Redis read models. Never EventStoreDB.
export { createQueryApi, type QueryApi, type QueryApiOptions } from './app.ts';
export { queryApiEnvSchema, readQueryApiEnv, type QueryApiEnv } from './env.ts';
export { querySchema } from './schema.ts';
export { listenQueryApi, type RunningQueryApi } from './server.ts';
