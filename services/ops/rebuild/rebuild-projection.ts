import { setTimeout as sleep } from 'node:timers/promises';
import { PersistentSubscriptionDoesNotExistError, type EventStoreDBClient } from '@eventstore/db-client';
import { removeKeysUnder, type Logger, type RedisClient, type RedisTarget } from '../../platform/index.ts';
import {
  activateVersion,
  activeVersionKey,
  ensureSubscriptionGroup,
  forgetRebuild,
  groupNameOf,
  namespacePrefix,
  readProjectionVersions,
  recordRebuild,
  type Projection,
  type RebuildRecord,
} from '../../projector/index.ts';
import { RebuildLock } from './rebuild-lock.ts';
import { buildShadow } from './shadow-build.ts';

export interface RebuildConnections {
  readonly esdb: EventStoreDBClient;
  readonly redis: RedisClient;
  readonly esdbConnectionString: string;
  readonly redisTarget: RedisTarget;
  readonly log: Logger;
}

export interface RebuildSettings {
  readonly lockTtlMs: number;
  /**
   * Wait between the switch and removing the old version: longer than the query API caches the
   * active-version pointer and than the workers take to notice the switch, so that nobody still reads
   * or writes the old keys when they go.
   */
  readonly graceMs: number;
  readonly pollMs: number;
  readonly catchUpScanLimit: number;
}

export const defaultRebuildSettings: RebuildSettings = { lockTtlMs: 15_000, graceMs: 3_000, pollMs: 250, catchUpScanLimit: 10_000 };

export interface RebuildProgress {
  readonly onStep: (text: string) => void;
  readonly onProgress: (done: number, total: number) => void;
}

export type RebuildOutcome =
  | { readonly kind: 'refused'; readonly expiresInMs: number }
  | {
      readonly kind: 'rebuilt';
      readonly from: number;
      readonly to: number;
      /** Picked up a rebuild that an earlier run had started (or switched) and not finished. */
      readonly resumed: boolean;
      /** Events the new version held at the switch; undefined when an earlier run had switched already. */
      readonly events: number | undefined;
      readonly removedKeys: number;
    };

/**
 * Blue/green rebuild of one projection: version N+1 is projected from the start of `$all` into its own
 * namespace beside the live version N, readers are switched with one SET of the active-version pointer
 * once it holds every event, then N's group and keys go. Every step is recorded in Redis before it is
 * taken and can be taken again, so a run that dies anywhere is resumed by the next one.
 */
export async function rebuildProjection(
  connections: RebuildConnections,
  projection: Projection,
  settings: RebuildSettings,
  progress: RebuildProgress,
  interrupt: AbortSignal = new AbortController().signal,
): Promise<RebuildOutcome> {
  const { redis, esdb } = connections;
  const lost = new AbortController();
  const attempt = await RebuildLock.acquire(redis, projection.name, settings.lockTtlMs, () =>
    lost.abort(new Error('the rebuild lock expired (Redis unreachable, or this process stalled); run the rebuild again to resume')),
  );
  if (!attempt.acquired) return { kind: 'refused', expiresInMs: attempt.expiresInMs };
  const signal = AbortSignal.any([interrupt, lost.signal]);
  try {
    // A projection no worker has started yet: its first version is the live one.
    await redis.set(activeVersionKey(projection.name), String(projection.version), { condition: 'NX' });
    const versions = await readProjectionVersions(redis, projection.name);
    const active = versions.active ?? projection.version;
    const record: RebuildRecord = versions.rebuild ?? { from: active, to: active + 1 };
    if (active !== record.from && active !== record.to) {
      throw new Error(`version ${active} is active, but a rebuild from ${record.from} to ${record.to} is recorded; remove ${projection.name}'s rebuild record after checking which versions exist`);
    }
    const resumed = versions.rebuild !== undefined;
    let events: number | undefined;
    if (active === record.from) {
      const shadow = projection.atVersion(record.to);
      progress.onStep(`${resumed ? 'Resuming' : 'Building'} ${projection.name} v${record.to} beside live v${record.from} (group ${groupNameOf(shadow)})`);
      // The group before the record: workers that see the record join the group, never create it.
      await ensureSubscriptionGroup(esdb, shadow);
      await recordRebuild(redis, projection.name, record);
      events = await buildShadow(
        { ...connections, ...settings, live: projection.atVersion(record.from), shadow, onProgress: progress.onProgress, signal },
        () => activateVersion(redis, projection.name, record.to),
      );
      progress.onStep(`Switched readers to v${record.to}`);
    }
    progress.onStep(`Removing v${record.from} in ${settings.graceMs / 1_000} s, once nobody reads or writes it`);
    await sleep(settings.graceMs, undefined, { signal });
    await deleteGroup(esdb, groupNameOf(projection.atVersion(record.from)));
    const removedKeys = await removeKeysUnder(redis, `${namespacePrefix({ projection: projection.name, version: record.from })}:`);
    await forgetRebuild(redis, projection.name);
    return { kind: 'rebuilt', from: record.from, to: record.to, resumed, events, removedKeys };
  } catch (error) {
    // Whichever wait noticed it, an interruption or a lost lock reports its own reason.
    throw signal.aborted ? signal.reason : error;
  } finally {
    await attempt.lock.release().catch(() => undefined);
  }
}

async function deleteGroup(esdb: EventStoreDBClient, group: string): Promise<void> {
  try {
    await esdb.deletePersistentSubscriptionToAll(group);
  } catch (error) {
    // Deleted by an earlier run that died before it finished.
    if (!(error instanceof PersistentSubscriptionDoesNotExistError)) throw error;
  }
}
