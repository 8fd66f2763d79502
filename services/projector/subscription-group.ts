import {
  PersistentSubscriptionExistsError,
  persistentSubscriptionToAllSettingsFromDefaults,
  START,
  streamNameFilter,
  type EventStoreDBClient,
  type PersistentSubscriptionToAllSettings,
} from '@eventstore/db-client';
import { groupNameOf, type Projection } from './projection.ts';

/**
 * Group settings live in code, so every environment gets the same ones:
 * - RoundRobin spreads events over all workers; per-account order is restored by the revision check.
 * - maxRetryCount bounds how often an event that keeps failing (poison) is retried before parking;
 *   a gap (an earlier event still in another worker's hands) is waited out locally first, so it rarely
 *   costs a retry.
 * - messageTimeout is generous: a redelivery is harmless (the apply is idempotent) but wasteful.
 * - Buffers are large enough to keep many events in flight per worker, which is where throughput comes from.
 * - checkPointLowerBound 1: the checkpoint, and the lag measured from it, reach the head when idle.
 */
export const projectorGroupSettings: Partial<PersistentSubscriptionToAllSettings> = {
  startFrom: START,
  consumerStrategyName: 'RoundRobin',
  maxRetryCount: 10,
  messageTimeout: 30_000,
  liveBufferSize: 2_000,
  historyBufferSize: 4_000,
  readBatchSize: 500,
  checkPointAfter: 1_000,
  checkPointLowerBound: 1,
  checkPointUpperBound: 4_000,
};

/** Creates the projection's group on `$all`, filtered by its stream prefix, unless it exists already. */
export function ensureSubscriptionGroup(
  client: EventStoreDBClient,
  projection: Projection,
  overrides: Partial<PersistentSubscriptionToAllSettings> = {},
): Promise<'created' | 'existed'> {
  return ensureGroup(client, { group: groupNameOf(projection), streamPrefix: projection.streamPrefix }, overrides);
}

/** Creates a group on `$all`, filtered by a stream prefix, with these settings, unless it exists already. */
export async function ensureGroup(
  client: EventStoreDBClient,
  target: { readonly group: string; readonly streamPrefix: string },
  overrides: Partial<PersistentSubscriptionToAllSettings> = {},
): Promise<'created' | 'existed'> {
  const settings = persistentSubscriptionToAllSettingsFromDefaults({ ...projectorGroupSettings, ...overrides });
  try {
    await client.createPersistentSubscriptionToAll(target.group, settings, {
      filter: streamNameFilter({ prefixes: [target.streamPrefix] }),
    });
    return 'created';
  } catch (error) {
    // Another worker created it first; changing settings of a live group is an operator's decision.
    if (error instanceof PersistentSubscriptionExistsError) return 'existed';
    throw error;
  }
}
