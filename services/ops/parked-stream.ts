// A group's parked events live in `$persistentsubscription-<source>::<group>-parked` (source `$all`
// or the stream name), one link per parked event with metadata { added, reason }. Replaying truncates
// the stream (`$tb`) past what was replayed, so, like the server's own statistics, the count is
// last revision − first readable revision + 1.
import { StreamDeletedError, StreamNotFoundError, type EventStoreDBClient } from '@eventstore/db-client';
import { groupKey } from './group-config.ts';

export const parkedStreamOf = (source: string, group: string): string => `$persistentsubscription-${groupKey(source, group)}-parked`;

export interface ParkedEventView {
  /** The parked link's revision in the parked stream: what `parked replay --stop-at` counts. */
  readonly parkedRevision: number;
  readonly eventId: string | null;
  readonly stream: string | null;
  readonly revision: number | null;
  readonly type: string | null;
  readonly parkedAt: string | null;
  readonly reason: string | null;
}

const isGone = (error: unknown): boolean => error instanceof StreamNotFoundError || error instanceof StreamDeletedError;

async function edgeRevision(client: EventStoreDBClient, stream: string, direction: 'forwards' | 'backwards'): Promise<bigint | undefined> {
  let revision: bigint | undefined;
  try {
    const read = client.readStream(stream, { direction, fromRevision: direction === 'forwards' ? 'start' : 'end', maxCount: 1 });
    for await (const resolved of read) revision = resolved.event?.revision;
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
  return revision;
}

export async function countParked(client: EventStoreDBClient, source: string, group: string): Promise<number> {
  const stream = parkedStreamOf(source, group);
  const last = await edgeRevision(client, stream, 'backwards');
  if (last === undefined) return 0;
  const first = await edgeRevision(client, stream, 'forwards');
  return first === undefined ? 0 : Number(last - first + 1n);
}

const stringField = (metadata: unknown, field: string): string | null => {
  const value = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : null;
};

function linkPointer(data: unknown): { stream: string; revision: number } | undefined {
  const text = data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : typeof data === 'string' ? data : '';
  const match = /^(\d+)@(.+)$/s.exec(text);
  return match ? { revision: Number(match[1]), stream: match[2]! } : undefined;
}

/** The oldest `limit` parked events still waiting for a replay, resolved to the events they point at. */
export async function listParked(client: EventStoreDBClient, source: string, group: string, limit: number): Promise<ParkedEventView[]> {
  const views: ParkedEventView[] = [];
  try {
    for await (const { event, link } of client.readStream(parkedStreamOf(source, group), { resolveLinkTos: true, maxCount: limit })) {
      // A parked link whose target was deleted does not resolve: the link itself comes back as the
      // event, and its data still says where it pointed ("<revision>@<stream>").
      const parkedLink = link ?? event;
      if (parkedLink === undefined) continue;
      const target = link === undefined ? undefined : event;
      const pointer = target === undefined ? linkPointer(parkedLink.data) : undefined;
      views.push({
        parkedRevision: Number(parkedLink.revision),
        eventId: target?.id ?? null,
        stream: target?.streamId ?? pointer?.stream ?? null,
        revision: target === undefined ? (pointer?.revision ?? null) : Number(target.revision),
        type: target?.type ?? null,
        parkedAt: stringField(parkedLink.metadata, 'added'),
        reason: stringField(parkedLink.metadata, 'reason'),
      });
    }
  } catch (error) {
    if (isGone(error)) return views;
    throw error;
  }
  return views;
}
