// Streams of one category, most recently active first. The real server's by-category projection keeps
// `$ce-<category>` (links to every event of the category, in order), so reading it backwards lists the
// category's streams by their last activity without touching other events. The embedded server runs
// no projections (nor does a real one started without them): then the newest events of `$all` are
// scanned instead. Either way the scan is bounded, and the page says what was scanned.
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { EventView } from '../stream-reader.ts';
import { readNewestOfAll, readProjectedStream } from './store-reads.ts';

export interface StreamActivity {
  readonly stream: string;
  readonly lastRevision: number;
  readonly lastType: string;
  readonly lastAt: string;
}

export interface CategoryListing {
  readonly streams: readonly StreamActivity[];
  readonly streamLimit: number;
  /** Where the list comes from and how far back it looked, for the page to say. */
  readonly source: string;
}

export interface ListingBounds {
  /** Most events read to find streams. */
  readonly scanLimit: number;
  /** Most streams listed. */
  readonly streamLimit: number;
}

export async function listCategoryStreams(esdb: EventStoreDBClient, category: string, bounds: ListingBounds): Promise<CategoryListing> {
  const prefix = `${category}-`;
  const projected = await readProjectedStream(esdb, `$ce-${category}`, 'backwards', bounds.scanLimit);
  if (projected !== undefined) {
    return {
      streams: newestActivity(projected, prefix, bounds.streamLimit),
      streamLimit: bounds.streamLimit,
      source: `the newest ${bounds.scanLimit.toLocaleString('en')} events of $ce-${category} (the server's by-category projection, which can lag a moment behind)`,
    };
  }
  const scanned = await readNewestOfAll(esdb, bounds.scanLimit);
  return {
    streams: newestActivity(scanned, prefix, bounds.streamLimit),
    streamLimit: bounds.streamLimit,
    source: `the newest ${bounds.scanLimit.toLocaleString('en')} events of $all ($ce-${category} does not exist: the server runs no by-category projection); streams last active before them are not listed`,
  };
}

/** The first time a stream appears in a newest-first list is its latest event. */
function newestActivity(newestFirst: readonly EventView[], prefix: string, limit: number): StreamActivity[] {
  const seen = new Map<string, StreamActivity>();
  for (const event of newestFirst) {
    if (seen.size >= limit) break;
    if (!event.stream.startsWith(prefix) || seen.has(event.stream)) continue;
    seen.set(event.stream, { stream: event.stream, lastRevision: event.revision, lastType: event.type, lastAt: event.created });
  }
  return [...seen.values()];
}
