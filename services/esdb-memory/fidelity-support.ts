// Shared pieces of the fidelity tests: they talk to the server only through the official client,
// so they pass unchanged against a real EventStoreDB (ESDB_CONNECTION_STRING).
import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, jsonEvent, type Credentials, type EventStoreDBClient, type JSONEventData, type Position } from '@eventstore/db-client';

export const ADMIN = { username: 'admin', password: 'changeit' } as const;

/**
 * The client uses BatchAppend when the server advertises it, and the plain Append RPC when the
 * call carries credentials; every append test runs through both.
 */
export const APPEND_PATHS: ReadonlyArray<[string, { credentials?: Credentials }]> = [
  ['BatchAppend', {}],
  ['Append', { credentials: ADMIN }],
];

export const testEvents = (count: number, type = 'TestEvent'): JSONEventData[] =>
  Array.from({ length: count }, (_, index) => jsonEvent({ id: randomUUID(), type, data: { index } }));

export const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
};

/** What a rejected promise was rejected with (fails the test if it resolved). */
export const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
};

/** The position of the last event in `$all` now: reading forwards from it sees what is written next. */
export const lastPositionInAll = async (client: EventStoreDBClient): Promise<Position> => {
  const [last] = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
  return last!.event!.position;
};

/** Reads a subscription until `done` says it has seen enough, then unsubscribes. */
export const takeUntil = async <T>(
  subscription: AsyncIterable<T> & { unsubscribe(): Promise<void> },
  done: (seen: T[]) => boolean,
): Promise<T[]> => {
  const seen: T[] = [];
  for await (const item of subscription) {
    seen.push(item);
    if (done(seen)) break;
  }
  await subscription.unsubscribe();
  return seen;
};

/** Appends `count` events one at a time, each with the revision it expects, as a busy writer does. */
export const appendOneByOne = async (client: EventStoreDBClient, stream: string, count: number): Promise<void> => {
  for (let revision = 0; revision < count; revision++) {
    await client.appendToStream(stream, testEvents(1), { expectedRevision: revision === 0 ? 'no_stream' : BigInt(revision - 1) });
  }
};

/** Orders `$all` positions: by commit position, then by prepare position within one commit. */
export const comparePositions = (a: Position, b: Position): number =>
  a.commit === b.commit ? Number(a.prepare - b.prepare) : a.commit < b.commit ? -1 : 1;
