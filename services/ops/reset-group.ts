// Moving a group's start point. Updating a group keeps its checkpoint, and the server resumes from a
// checkpoint when there is one, so an update cannot move a group that has made progress; deleting the
// group (which deletes its checkpoint and parked streams) and creating it again with the same
// settings and filter can.
import {
  END,
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import type { StoredFilter } from './group-config.ts';
import { isAllGroup, type GroupInfo } from './subscription-groups.ts';

/** Start or end, a `$all` position for `$all` groups, a revision for stream groups. */
export type StartPoint = typeof START | typeof END | Position | bigint;

export class ResetRefusedError extends Error {
  override name = 'ResetRefusedError';
}

/** A failure between delete and create leaves no group: say so, so the operator knows what to recreate. */
async function recreating(group: string, create: () => Promise<void>): Promise<void> {
  try {
    await create();
  } catch (error) {
    throw new Error(`'${group}' was deleted but could not be created again; create it before its consumers need it: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export async function resetGroup(client: EventStoreDBClient, info: GroupInfo, from: StartPoint, filter: StoredFilter | undefined): Promise<void> {
  const group = info.groupName;
  if (isAllGroup(info)) {
    if (typeof from === 'bigint') throw new ResetRefusedError('A $all group starts from a position, not a revision.');
    // Recreating without the filter would silently widen the group to every event in $all.
    if (filter === undefined) throw new ResetRefusedError(`The filter of '${group}' is not in $persistentSubscriptionConfig, so it could not be recreated as it is.`);
    const settings = persistentSubscriptionToAllSettingsFromDefaults({ ...info.settings, startFrom: from });
    await client.deletePersistentSubscriptionToAll(group);
    await recreating(group, () => client.createPersistentSubscriptionToAll(group, settings, filter.kind === 'filter' ? { filter: filter.filter } : {}));
    return;
  }
  if (typeof from === 'object') throw new ResetRefusedError('A stream group starts from a revision, not a $all position.');
  const settings = persistentSubscriptionToStreamSettingsFromDefaults({ ...info.settings, startFrom: from });
  await client.deletePersistentSubscriptionToStream(info.eventSource, group);
  await recreating(group, () => client.createPersistentSubscriptionToStream(info.eventSource, group, settings));
}
