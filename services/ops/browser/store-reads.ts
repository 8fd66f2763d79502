// The browser's reads beyond one stream page, all through the ops stream reader and all bounded.
import type { EventStoreDBClient } from '@eventstore/db-client';
import { ALL_STREAM, readPage, type EventView, type PageRequest } from '../stream-reader.ts';
import { BadRequest } from './params.ts';

/** A stream a server projection keeps (`$ce-…`, `$bc-…`), its links resolved; undefined when it does not exist. */
export async function readProjectedStream(
  esdb: EventStoreDBClient,
  stream: string,
  direction: 'forwards' | 'backwards',
  limit: number,
): Promise<readonly EventView[] | undefined> {
  const page = await readPage(esdb, { stream, direction, limit, resolveLinks: true });
  return page.kind === 'page' ? page.events : undefined;
}

async function readAllPage(esdb: EventStoreDBClient, request: Omit<PageRequest, 'stream'>): Promise<EventView[]> {
  const page = await readPage(esdb, { stream: ALL_STREAM, ...request });
  if (page.kind !== 'page') throw new Error(`reading $all answered ${page.kind}`);
  // System events and links (projections' output, checkpoints) are not what an analyst looks for.
  return page.events.filter((event) => !event.stream.startsWith('$') && !event.type.startsWith('$'));
}

/** The newest `limit` events of $all, newest first. */
export const readNewestOfAll = (esdb: EventStoreDBClient, limit: number): Promise<EventView[]> =>
  readAllPage(esdb, { direction: 'backwards', limit });

/** Up to `limit` events of $all around `position`, half before it and half from it on, in commit order. */
export async function readAllAround(esdb: EventStoreDBClient, position: string, limit: number): Promise<EventView[]> {
  const half = Math.ceil(limit / 2);
  const [before, after] = await Promise.all([
    readAllPage(esdb, { direction: 'backwards', from: position, limit: half }),
    readAllPage(esdb, { direction: 'forwards', from: position, limit: half }),
  ]);
  return [...before.reverse(), ...after];
}

/** A metadata value that should be a string (`$correlationId`, `$causationId`, …), if it is one. */
export function metadataText(event: EventView, key: string): string | undefined {
  const { metadata } = event;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const value = (metadata as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A page can not show what was asked for; the message says why. */
export class NotFound extends Error {
  override name = 'NotFound';
}

/** One page of a stream (or `$all`); a missing or deleted stream is a NotFound, a bad cursor a BadRequest. */
export async function readStreamEvents(esdb: EventStoreDBClient, request: PageRequest): Promise<{ events: readonly EventView[]; next: string | null }> {
  const page = await readPage(esdb, request);
  switch (page.kind) {
    case 'page':
      return page;
    case 'not-found':
      throw new NotFound(`Stream ${request.stream} does not exist.`);
    case 'deleted':
      throw new NotFound(`Stream ${request.stream} has been deleted.`);
    case 'bad-cursor':
      throw new BadRequest(page.message);
  }
}

/** The event at `revision`, or a NotFound. */
export async function readEventAt(esdb: EventStoreDBClient, stream: string, revision: number): Promise<EventView> {
  const { events } = await readStreamEvents(esdb, { stream, direction: 'forwards', from: String(revision), limit: 1 });
  const event = events[0];
  if (event === undefined || event.revision !== revision) throw new NotFound(`No event #${revision} in stream ${stream}.`);
  return event;
}
