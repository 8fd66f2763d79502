// The filter of a `$all` group is not part of the server's group info; the server keeps it in its
// configuration stream: the last `$PersistentConfig` event of `$persistentSubscriptionConfig`, whose
// `entries` hold each group's `stream`, `group` and `filter` ({ context, type, data }).
import { eventTypeFilter, StreamNotFoundError, streamNameFilter, type EventStoreDBClient, type Filter } from '@eventstore/db-client';

const CONFIG_STREAM = '$persistentSubscriptionConfig';

interface FilterDto {
  readonly context: string;
  readonly type: string;
  readonly data: readonly string[];
}

/** A group's stored filter: none (every event), or the client filter that recreates it. */
export type StoredFilter = { readonly kind: 'none' } | { readonly kind: 'filter'; readonly filter: Filter; readonly text: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function filterOf(dto: FilterDto): StoredFilter {
  const onStream = dto.context === 'StreamId';
  const make = onStream ? streamNameFilter : eventTypeFilter;
  const filter = dto.type === 'Regex' ? make({ regex: dto.data[0] ?? '' }) : make({ prefixes: [...dto.data] });
  return { kind: 'filter', filter, text: `${onStream ? 'stream' : 'event type'} ${dto.type === 'Regex' ? 'matches' : 'starts with'} ${dto.data.join(' | ')}` };
}

const isFilterDto = (value: unknown): value is FilterDto =>
  isRecord(value) && typeof value.context === 'string' && typeof value.type === 'string' && Array.isArray(value.data);

/** Stored filters by `<source>::<group>`; empty when the configuration cannot be read. */
export async function readGroupFilters(client: EventStoreDBClient): Promise<Map<string, StoredFilter>> {
  const filters = new Map<string, StoredFilter>();
  let config: unknown;
  try {
    for await (const resolved of client.readStream(CONFIG_STREAM, { direction: 'backwards', fromRevision: 'end', maxCount: 1 })) {
      config = resolved.event?.data;
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return filters;
    throw error;
  }
  const entries = isRecord(config) && Array.isArray(config.entries) ? config.entries : [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.stream !== 'string' || typeof entry.group !== 'string') continue;
    filters.set(groupKey(entry.stream, entry.group), isFilterDto(entry.filter) ? filterOf(entry.filter) : { kind: 'none' });
  }
  return filters;
}

/** How the server names a group internally: `<source>::<group>`. */
export const groupKey = (source: string, group: string): string => `${source}::${group}`;
