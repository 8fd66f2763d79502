// services/ops: the operations CLI (`npm run ops -- …`): subscriptions, parked events, rebuilds, stream reading.
export { helpText, runOps } from './cli.ts';
export { ExitCode, UsageError, type OpsCommand, type OpsIo } from './command.ts';
export { opsEnvSchema, readOpsEnv, type OpsEnv } from './env.ts';
export { createStreamBrowser, type StreamBrowserOptions } from './browser/app.ts';
export { rebuildCommand } from './commands/rebuild.ts';
export { defaultRebuildSettings, rebuildProjection, type RebuildOutcome, type RebuildSettings } from './rebuild/rebuild-projection.ts';
export { rebuildLockKey } from './rebuild/rebuild-lock.ts';
export { ALL_STREAM, readPage, type Direction, type EventView, type Page, type PageRequest } from './stream-reader.ts';
