// services/command-api: GraphQL mutations that append account and transfer events to EventStoreDB.
export { createCommandApi, type CommandApi, type CommandApiOptions } from './app.ts';
// The transfers process manager runs account and transfer commands exactly as the mutations do.
export { AccountCommandHandler, eventIdFor, type CommandHandlerOptions, type CommandOutcome } from './command-handler.ts';
export { commandApiEnvSchema, readCommandApiEnv, type CommandApiEnv } from './env.ts';
export { accountErrorMessage } from './graphql/error-classes.ts';
export { KeyedLock } from './keyed-lock.ts';
export { commandSchema } from './schema.ts';
export { listenCommandApi, type RunningCommandApi } from './server.ts';
export { TransferCommandHandler, type TransferOutcome, type TransferStreamView } from './transfer-command-handler.ts';
