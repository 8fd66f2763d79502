// Group definitions live where the server keeps them: the whole configuration as one
// `$PersistentConfig` event in `$persistentSubscriptionConfig` (capped at two events), rewritten
// on every create, update and delete, and read back (last event) when the subsystem starts.
import type { EventStore } from '../event-store.ts';
import type { AllFilterDto } from './all-filter.ts';
import { allSource, ALL_STREAM, streamSource } from './source.ts';
import type { GroupDefinition } from './group.ts';
import { lastEventData, proposedEvent, serverJson, writeStreamMetadata } from './system-writes.ts';
import type { GroupSettings } from './settings.ts';

export const CONFIG_STREAM = '$persistentSubscriptionConfig';
const CONFIG_EVENT_TYPE = '$PersistentConfig';

interface ConfigEntry {
  stream: string;
  group: string;
  filter?: AllFilterDto;
  resolveLinkTos?: boolean;
  extraStatistics?: boolean;
  messageTimeout?: number;
  startPosition?: string;
  liveBufferSize?: number;
  historyBufferSize?: number;
  maxRetryCount?: number;
  readBatchSize?: number;
  checkPointAfter?: number;
  minCheckPointCount?: number;
  maxCheckPointCount?: number;
  maxSubscriberCount?: number;
  namedConsumerStrategy?: string;
}

/** Newtonsoft with DefaultValueHandling.Ignore leaves out false, 0 and null. */
const withoutDefaults = (entry: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== false && value !== 0 && value !== undefined));

const entryOf = ({ source, groupName, settings, startFrom }: GroupDefinition): Record<string, unknown> =>
  withoutDefaults({
    stream: source.name,
    group: groupName,
    filter: source.filter,
    resolveLinkTos: settings.resolveLinkTos,
    extraStatistics: settings.extraStatistics,
    messageTimeout: settings.messageTimeoutMs,
    startFrom: source.isAll ? undefined : startFrom.position,
    startPosition: startFrom.text,
    liveBufferSize: settings.liveBufferSize,
    historyBufferSize: settings.historyBufferSize,
    maxRetryCount: settings.maxRetryCount,
    readBatchSize: settings.readBatchSize,
    checkPointAfter: settings.checkPointAfterMs,
    minCheckPointCount: settings.minCheckPointCount,
    maxCheckPointCount: settings.maxCheckPointCount,
    maxSubscriberCount: settings.maxSubscriberCount,
    namedConsumerStrategy: settings.consumerStrategy,
  });

export const saveConfig = async (store: EventStore, definitions: GroupDefinition[], updatedBy: string | undefined) => {
  if (store.streamView(`$$${CONFIG_STREAM}`).kind !== 'found') await writeStreamMetadata(store, CONFIG_STREAM, { $maxCount: 2 });
  const config = withoutDefaults({
    version: '2',
    updated: new Date().toISOString(),
    updatedBy,
    entries: definitions.map(entryOf),
  });
  await store.append(CONFIG_STREAM, [proposedEvent(CONFIG_EVENT_TYPE, serverJson(config))], { kind: 'any' });
};

const settingsOfEntry = (entry: ConfigEntry): GroupSettings => ({
  resolveLinkTos: entry.resolveLinkTos ?? false,
  extraStatistics: entry.extraStatistics ?? false,
  messageTimeoutMs: entry.messageTimeout ?? 0,
  maxRetryCount: entry.maxRetryCount ?? 0,
  liveBufferSize: entry.liveBufferSize ?? 0,
  historyBufferSize: entry.historyBufferSize ?? 0,
  readBatchSize: entry.readBatchSize ?? 0,
  checkPointAfterMs: entry.checkPointAfter ?? 0,
  minCheckPointCount: entry.minCheckPointCount ?? 0,
  maxCheckPointCount: entry.maxCheckPointCount ?? 0,
  maxSubscriberCount: entry.maxSubscriberCount ?? 0,
  consumerStrategy: entry.namedConsumerStrategy ?? 'RoundRobin',
});

/** The stored group definitions; entries the server would ignore (unreadable ones) are skipped. */
export const loadConfig = (store: EventStore): GroupDefinition[] => {
  const last = lastEventData(store, CONFIG_STREAM);
  if (!last || last.type !== CONFIG_EVENT_TYPE) return [];
  let config: { entries?: ConfigEntry[] };
  try {
    config = JSON.parse(Buffer.from(last.data).toString('utf8')) as { entries?: ConfigEntry[] };
  } catch {
    return [];
  }
  const definitions: GroupDefinition[] = [];
  for (const entry of config.entries ?? []) {
    if (typeof entry.stream !== 'string' || typeof entry.group !== 'string') continue;
    const source = entry.stream === ALL_STREAM ? allSource(store, entry.filter) : streamSource(store, entry.stream);
    const text = entry.startPosition ?? (source.isAll ? 'C:-1/P:-1' : '-1');
    const position = source.parse(text);
    if (position === undefined) continue;
    definitions.push({ source, groupName: entry.group, startFrom: { text, position }, settings: settingsOfEntry(entry) });
  }
  return definitions;
};
