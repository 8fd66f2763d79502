// The reads the browser makes. Every read is bounded by maxCount and runs to its end: leaving a gRPC
// read early keeps the client from disposing later (see platform's isEsdbReachable).
import { StreamNotFoundError, type EventStoreDBClient, type ReadRevision } from '@eventstore/db-client';
import { toEventView, type EventView } from './event-view.ts';

/** Reads at most `count` events; undefined when the stream does not exist. */
export async function readStreamEvents(
  esdb: EventStoreDBClient,
  stream: string,
  options: { from: ReadRevision; direction: 'forwards' | 'backwards'; count: number; resolveLinks?: boolean },
): Promise<EventView[] | undefined> {
  const events: EventView[] = [];
  try {
    const read = esdb.readStream(stream, {
      fromRevision: options.from,
      direction: options.direction,
      maxCount: options.count,
      resolveLinkTos: options.resolveLinks ?? false,
    });
    for await (const resolved of read) {
      const view = toEventView(resolved);
      if (view !== undefined) events.push(view);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return undefined;
    throw error;
  }
  return events;
}

/** The newest `count` events of $all, newest first, without system events and links. */
export async function readNewestOfAll(esdb: EventStoreDBClient, count: number): Promise<EventView[]> {
  const events: EventView[] = [];
  for await (const resolved of esdb.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: count })) {
    const view = toEventView(resolved);
    if (view !== undefined && !view.stream.startsWith('$') && !view.type.startsWith('$')) events.push(view);
  }
  return events;
}
