// services/projector: persistent-subscription workers that build the Redis read models.
export { runApplyBatch, runApplyScript, type AppliedNotice, type ApplyOutcome, type BatchEvent, type BatchOutcome } from './apply-script.ts';
export type { AuditEntry } from './audit-entry.ts';
export { defineAccountsProjection, type AccountsProjectionOptions, type TransactionEntry } from './account-projection.ts';
export { projectionCatalog } from './catalog.ts';
export { checkCaughtUp, type CatchUpCheck } from './catch-up.ts';
export { projectorEnvSchema, readProjectorEnv, type ProjectorEnv } from './env.ts';
export { countEventsAfter, LAG_SCAN_LIMIT } from './lag.ts';
export { createProjectorMetrics, type ProjectorMetrics } from './metrics.ts';
export { startOpsServer, type RunningOpsServer } from './ops-http.ts';
export {
  groupNameOf,
  namespaceOf,
  UnhandledEventError,
  type AggregateSnapshot,
  type DeliveredEvent,
  type Projection,
  type RedisEffect,
} from './projection.ts';
export {
  activateVersion,
  forgetRebuild,
  readProjectionVersions,
  recordRebuild,
  versionsToProject,
  type ProjectionVersions,
  type RebuildRecord,
} from './projection-versions.ts';
export {
  accountKeys,
  activeVersionKey,
  appliedChannel,
  globalKeys,
  namespacePrefix,
  transferKeys,
  rebuildKey,
  type AccountKeys,
  type TransferKeys,
  type GlobalKeys,
  type ReadModelNamespace,
} from './read-model-keys.ts';
export { joinGroup, type GroupMember } from './group-membership.ts';
export { ensureGroup, ensureSubscriptionGroup, projectorGroupSettings } from './subscription-group.ts';
export { defineTransfersProjection, type TransferReadStatus, type TransferStepEntry } from './transfer-projection.ts';
export { VersionFollower, type VersionFollowerOptions } from './version-follower.ts';
export { ProjectorWorker, type ProjectorWorkerOptions } from './worker.ts';
