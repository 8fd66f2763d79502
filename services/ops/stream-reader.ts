// Reads one page of a stream or of `$all`, in either direction, as plain event views with a cursor
// for the next page. Free of CLI concerns: the stream browser page reuses it.
//
// Cursors follow the server's read semantics: reading a stream from a revision includes that
// revision in both directions, and so does reading `$all` forwards from a position; reading `$all`
// backwards from a position returns the events before it. So the next page starts at the first
// event not returned, except backwards on `$all`, where it starts at the last event returned.
import {
  END,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { formatPosition, parsePosition, parseRevision } from './positions.ts';

export const ALL_STREAM = '$all';

export type Direction = 'forwards' | 'backwards';

export interface EventView {
  readonly stream: string;
  readonly revision: number;
  /** `C:<commit>/P:<prepare>`; null where the server does not say (stream reads on some servers). */
  readonly position: string | null;
  readonly eventId: string;
  readonly type: string;
  readonly created: string;
  /** Parsed JSON, or the bytes as UTF-8 text, or as `base64:<…>` when they are not text. */
  readonly data: unknown;
  readonly metadata: unknown;
}

export interface PageRequest {
  readonly stream: string;
  readonly direction: Direction;
  /** A cursor from a previous page, a revision (streams) or a position (`$all`); absent: the start or end. */
  readonly from?: string;
  readonly limit: number;
  /** Streams only: answer the events that link events (`$>`, as in `$ce-…` and `$bc-…`) point to. */
  readonly resolveLinks?: boolean;
}

export type Page =
  | { readonly kind: 'page'; readonly events: readonly EventView[]; readonly next: string | null }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'bad-cursor'; readonly message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bodyOf(body: unknown): unknown {
  if (!(body instanceof Uint8Array)) return body ?? null;
  if (body.length === 0) return null;
  try {
    return utf8.decode(body);
  } catch {
    return `base64:${Buffer.from(body).toString('base64')}`;
  }
}

function viewOf(resolved: ResolvedEvent | AllStreamResolvedEvent): EventView | undefined {
  const event = resolved.event;
  if (event === undefined) return undefined;
  return {
    stream: event.streamId,
    revision: Number(event.revision),
    position: event.position === undefined ? null : formatPosition(event.position),
    eventId: event.id,
    type: event.type,
    created: event.created.toISOString(),
    data: bodyOf(event.data),
    metadata: bodyOf(event.metadata),
  };
}

async function collect(read: AsyncIterable<ResolvedEvent | AllStreamResolvedEvent>): Promise<EventView[]> {
  const views: EventView[] = [];
  // Read to the end (maxCount bounds it): leaving a gRPC read early keeps the client from disposing.
  for await (const resolved of read) {
    const view = viewOf(resolved);
    if (view !== undefined) views.push(view);
  }
  return views;
}

async function readAllPage(client: EventStoreDBClient, request: PageRequest): Promise<Page> {
  const position = request.from === undefined ? undefined : parsePosition(request.from);
  if (request.from !== undefined && position === undefined) {
    return { kind: 'bad-cursor', message: `'${request.from}' is not a $all position (C:<commit>/P:<prepare> or a commit number).` };
  }
  const backwards = request.direction === 'backwards';
  const fromPosition = position ?? (backwards ? END : START);
  const views = await collect(client.readAll({ direction: request.direction, fromPosition, maxCount: request.limit + 1 }));
  const events = views.slice(0, request.limit);
  const more = views.length > request.limit;
  const next = more ? (backwards ? events[events.length - 1] : views[request.limit])!.position : null;
  return { kind: 'page', events, next };
}

async function readStreamPage(client: EventStoreDBClient, request: PageRequest): Promise<Page> {
  const revision = request.from === undefined ? undefined : parseRevision(request.from);
  if (request.from !== undefined && revision === undefined) return { kind: 'bad-cursor', message: `'${request.from}' is not a stream revision.` };
  const fromRevision = revision ?? (request.direction === 'backwards' ? END : START);
  try {
    const views = await collect(client.readStream(request.stream, {
      direction: request.direction, fromRevision, maxCount: request.limit + 1, resolveLinkTos: request.resolveLinks ?? false,
    }));
    const following = views[request.limit];
    return { kind: 'page', events: views.slice(0, request.limit), next: following === undefined ? null : String(following.revision) };
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { kind: 'not-found' };
    if (error instanceof StreamDeletedError) return { kind: 'deleted' };
    throw error;
  }
}

/** One page of `request.stream` (`$all` included), at most `limit` events. */
export function readPage(client: EventStoreDBClient, request: PageRequest): Promise<Page> {
  return request.stream === ALL_STREAM ? readAllPage(client, request) : readStreamPage(client, request);
}
