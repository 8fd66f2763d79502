import type { RedisClient } from '../platform/index.ts';
import type { ReadModelNamespace } from './read-model-keys.ts';

/** One event as the subscription delivered it, before the projection has looked at it. */
export interface DeliveredEvent {
  readonly eventId: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
}

/** The fields of a recorded event (as the EventStoreDB client hands it over) a projection reads. */
export interface RecordedEventFields {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
}

export const deliveredEventOf = (event: RecordedEventFields): DeliveredEvent => ({
  eventId: event.id, streamName: event.streamId, revision: event.revision, type: event.type,
  data: event.data, metadata: event.metadata, created: event.created,
});

/** A Redis write an event causes. The apply script runs only these, so a handler cannot do anything else. */
export type RedisEffect =
  | { readonly kind: 'hset'; readonly key: string; readonly fields: Readonly<Record<string, string>> }
  | { readonly kind: 'hincrby'; readonly key: string; readonly field: string; readonly by: number }
  | { readonly kind: 'zadd'; readonly key: string; readonly score: number; readonly member: string };

/** What a projection makes of one event: the aggregate it belongs to and the writes, all in that aggregate's slot. */
export interface PlannedApply {
  readonly aggregateId: string;
  /** The hash whose `revision` field records the last stream revision applied to this aggregate. */
  readonly revisionKey: string;
  readonly effects: readonly RedisEffect[];
}

/**
 * An aggregate's state as the apply script read it back, atomically, right after its writes: the stored
 * revision and the projection's `snapshotFields` of the revision hash (null where a field is missing).
 */
export interface AggregateSnapshot {
  readonly aggregateId: string;
  readonly revision: bigint;
  readonly fields: readonly (string | null)[];
}

/**
 * A projection, declared in one place: its name and version (which name the read-model namespace and
 * the subscription group), the events it takes, and how each event changes Redis.
 */
export interface Projection {
  readonly name: string;
  /**
   * The version this value writes. In code it is only the version a fresh system starts with: which
   * versions are live or being rebuilt is decided at run time in Redis (projection-versions.ts).
   */
  readonly version: number;
  /** The same projection writing into another version's namespace and group. */
  readonly atVersion: (version: number) => Projection;
  /** The group reads `$all` filtered to streams starting with this. */
  readonly streamPrefix: string;
  readonly eventTypes: readonly string[];
  /**
   * Upcasts and checks the event and plans its writes. Throws when it cannot handle the event: the
   * worker nacks it and the server parks it after maxRetryCount.
   */
  readonly plan: (event: DeliveredEvent) => PlannedApply;
  /** Fields of the revision hash the global read models are derived from; read back by every apply. */
  readonly snapshotFields: readonly string[];
  /**
   * Folds the given aggregate snapshots into the global read models (stats, indexes). Must be
   * idempotent and ignore a snapshot no newer than the one already folded in for its aggregate.
   */
  readonly refreshGlobals: (redis: RedisClient, snapshots: readonly AggregateSnapshot[]) => Promise<void>;
}

export const namespaceOf = (projection: Projection): ReadModelNamespace => ({
  projection: projection.name,
  version: projection.version,
});

/** The persistent-subscription group of a projection version, e.g. `rm-accounts-v1`. */
export const groupNameOf = (projection: Projection): string => `rm-${projection.name}-v${projection.version}`;

/** The projection cannot make sense of the event (unknown type, unreadable schema version, bad shape). */
export class UnhandledEventError extends Error {
  constructor(event: DeliveredEvent, cause: unknown) {
    super(`cannot project ${event.type} ${event.eventId} (${event.streamName}@${event.revision}): ${String(cause)}`, { cause });
    this.name = 'UnhandledEventError';
  }
}
