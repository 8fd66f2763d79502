// services/command-api: GraphQL mutations that append account events to EventStoreDB.
export { createCommandApi, type CommandApi, type CommandApiOptions } from './app.ts';
export { commandApiEnvSchema, readCommandApiEnv, type CommandApiEnv } from './env.ts';
export { commandSchema } from './schema.ts';
export { listenCommandApi, type RunningCommandApi } from './server.ts';
