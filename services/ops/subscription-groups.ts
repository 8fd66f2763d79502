import {
  END,
  PersistentSubscriptionDoesNotExistError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  type EventStoreDBClient,
  type PersistentSubscriptionToAllInfo,
  type PersistentSubscriptionToStreamInfo,
} from '@eventstore/db-client';
import { countEventsAfter, LAG_SCAN_LIMIT } from '../projector/index.ts';
import { UsageError } from './command.ts';
import { groupKey, readGroupFilters, type StoredFilter } from './group-config.ts';
import { countParked } from './parked-stream.ts';
import { formatPosition } from './positions.ts';

export const ALL = '$all';

export type GroupInfo = PersistentSubscriptionToAllInfo | PersistentSubscriptionToStreamInfo;

export const isAllGroup = (info: GroupInfo): info is PersistentSubscriptionToAllInfo => info.eventSource === ALL;

export interface GroupStatus {
  readonly source: string;
  readonly group: string;
  readonly status: string;
  readonly consumers: readonly { readonly name: string; readonly from: string; readonly inFlight: number }[];
  readonly inFlight: number;
  readonly parked: number;
  /** Events after the group's checkpoint (or start point) up to the head of its source. */
  readonly lag: number;
  /** True when lag stopped counting at LAG_SCAN_LIMIT: "at least this many". */
  readonly lagCapped: boolean;
  readonly checkpoint: string | null;
  /** `$all` groups: the stored filter, in words; null for none or an unreadable configuration. */
  readonly filter: string | null;
  readonly startFrom: string;
}

/** Every group; the server may answer "none exist" with a not-found error rather than an empty list. */
async function listGroups(client: EventStoreDBClient): Promise<GroupInfo[]> {
  try {
    return await client.listAllPersistentSubscriptions();
  } catch (error) {
    if (error instanceof PersistentSubscriptionDoesNotExistError) return [];
    throw error;
  }
}

/** One group by name; `source` picks between groups of the same name on different sources. */
export async function findGroup(client: EventStoreDBClient, group: string, source?: string): Promise<GroupInfo | undefined> {
  const matches = (await listGroups(client)).filter(
    (info) => info.groupName === group && (source === undefined || info.eventSource === source),
  );
  if (matches.length > 1) {
    throw new UsageError(`Group '${group}' exists on ${matches.map((info) => info.eventSource).join(', ')}; pick one with --source.`);
  }
  return matches[0];
}

function startText(info: GroupInfo): string {
  const { startFrom } = info.settings;
  if (startFrom === START || startFrom === END) return startFrom === START ? 'start' : 'end';
  return typeof startFrom === 'bigint' ? String(startFrom) : formatPosition(startFrom);
}

async function lastRevisionOf(client: EventStoreDBClient, stream: string): Promise<bigint | undefined> {
  let last: bigint | undefined;
  try {
    for await (const resolved of client.readStream(stream, { direction: 'backwards', fromRevision: END, maxCount: 1 })) last = resolved.event?.revision;
  } catch (error) {
    if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return undefined;
    throw error;
  }
  return last;
}

/** A stream group's lag: revisions after its checkpoint (or before its start point) up to the stream's last one. */
async function streamLag(client: EventStoreDBClient, info: PersistentSubscriptionToStreamInfo): Promise<number> {
  const last = await lastRevisionOf(client, info.eventSource);
  if (last === undefined) return 0;
  const { startFrom } = info.settings;
  const done = info.stats.lastCheckpointedEventRevision ?? (startFrom === START ? -1n : startFrom === END ? last : startFrom - 1n);
  return Number(last > done ? last - done : 0n);
}

async function lagOf(client: EventStoreDBClient, info: GroupInfo, filter: StoredFilter | undefined): Promise<number> {
  if (!isAllGroup(info)) return streamLag(client, info);
  // Counting starts after `from`; a group that starts at a position and has no checkpoint yet also
  // has the event at that position to go, which this leaves out (one event at most).
  const from = info.stats.lastCheckpointedEventPosition ?? info.settings.startFrom;
  return countEventsAfter(client, from, filter?.kind === 'filter' ? filter.filter : undefined);
}

export async function describeGroup(
  client: EventStoreDBClient,
  info: GroupInfo,
  filters: ReadonlyMap<string, StoredFilter>,
): Promise<GroupStatus> {
  const filter = filters.get(groupKey(info.eventSource, info.groupName));
  const [lag, parked] = await Promise.all([lagOf(client, info, filter), countParked(client, info.eventSource, info.groupName)]);
  const checkpoint = isAllGroup(info)
    ? info.stats.lastCheckpointedEventPosition && formatPosition(info.stats.lastCheckpointedEventPosition)
    : info.stats.lastCheckpointedEventRevision?.toString();
  return {
    source: info.eventSource,
    group: info.groupName,
    status: info.status,
    consumers: info.connections.map((connection) => ({ name: connection.connectionName, from: connection.from, inFlight: connection.inFlightMessages })),
    inFlight: info.stats.totalInFlightMessages,
    parked,
    lag,
    lagCapped: lag >= LAG_SCAN_LIMIT,
    checkpoint: checkpoint ?? null,
    filter: filter?.kind === 'filter' ? filter.text : null,
    startFrom: startText(info),
  };
}

/** Every group on the server, `$all` groups first, then by source and name. */
export async function describeAllGroups(client: EventStoreDBClient): Promise<GroupStatus[]> {
  const [infos, filters] = await Promise.all([listGroups(client), readGroupFilters(client)]);
  const ordered = infos.sort((a, b) =>
    a.eventSource === b.eventSource ? a.groupName.localeCompare(b.groupName) : a.eventSource === ALL ? -1 : b.eventSource === ALL ? 1 : a.eventSource.localeCompare(b.eventSource),
  );
  return Promise.all(ordered.map((info) => describeGroup(client, info, filters)));
}
