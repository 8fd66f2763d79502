import {
  BACKWARDS,
  END,
  jsonEvent,
  NO_STREAM,
  StreamNotFoundError,
  type EventData,
  type EventStoreDBClient,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  decodeAccountEvent,
  evolve,
  initialState,
  isAccountEventType,
  stateRecordedBy,
  type AccountEvent,
  type AccountState,
  type EventMetadata,
  type JsonObject,
} from '../domain/index.ts';

/** The events one command appended, kept so a repeat of the command can be answered by the store. */
export interface RecordedCommand {
  readonly firstRevision: bigint;
  readonly events: EventData[];
}

export interface LoadedAccountStream {
  readonly state: AccountState;
  /** Revision of the last event, or undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
  /** By command id; mutable so the stream cache can extend it after an append. */
  readonly commands: Map<string, RecordedCommand>;
}

export interface AppendOutcome {
  readonly revision: bigint;
  readonly position: Position | undefined;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

type StoredEvent = NonNullable<ResolvedEvent['event']>;

interface DecodedEvent {
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly event: AccountEvent;
}

/**
 * Reads the latest `window` events of an account stream (more only if none of them records the whole
 * state) and folds them from the oldest that does, upcasting old event shapes on the way. Its cost is
 * bounded by `window` however long the stream; repeats are recognised among the commands it read.
 */
export async function loadAccountStream(
  client: EventStoreDBClient,
  streamName: string,
  window: number,
): Promise<LoadedAccountStream> {
  const newestFirst: DecodedEvent[] = [];
  for (let from: bigint | typeof END = END; ; ) {
    const page: DecodedEvent[] = (await readBackwards(client, streamName, from, window)).map((stored) => decode(streamName, stored));
    newestFirst.push(...page);
    const oldest = page.at(-1);
    if (oldest === undefined || oldest.revision === 0n || page.length < window) break;
    if (page.some((decoded) => stateRecordedBy(decoded.event) !== undefined)) break;
    from = oldest.revision - 1n;
  }
  const events = newestFirst.reverse();
  const resumeAt = events[0]?.revision === 0n ? -1 : events.findIndex(({ event }) => stateRecordedBy(event) !== undefined);
  let state = resumeAt < 0 ? initialState : (stateRecordedBy(events[resumeAt]!.event) ?? initialState);
  const commands = new Map<string, RecordedCommand>();
  events.forEach(({ id, revision, type, data, metadata, event }, index) => {
    if (index > resumeAt) state = evolve(state, event);
    if (typeof metadata.commandId !== 'string') return;
    const recorded = commands.get(metadata.commandId) ?? { firstRevision: revision, events: [] };
    recorded.events.push(jsonEvent({ id, type, data, metadata }));
    commands.set(metadata.commandId, recorded);
  });
  return { state, revision: events.at(-1)?.revision, commands };
}

function decode(streamName: string, stored: StoredEvent): DecodedEvent {
  if (!isAccountEventType(stored.type) || !isObject(stored.data)) {
    throw new Error(`${streamName}@${stored.revision} holds ${stored.type}, which is not an account event`);
  }
  const metadata = isObject(stored.metadata) ? stored.metadata : {};
  // Events written before metadata carried a schemaVersion are version 1 by definition.
  const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
  const { id, revision, type, data } = stored;
  return { id, revision, type, data, metadata, event: decodeAccountEvent(type, schemaVersion, data) };
}

/**
 * Reads one page whole before anything is decoded: failing half-way through a for-await would abandon
 * a live gRPC read, which keeps the client from closing.
 */
async function readBackwards(client: EventStoreDBClient, streamName: string, from: bigint | typeof END, maxCount: number) {
  const events: StoredEvent[] = [];
  try {
    const read = client.readStream(streamName, { direction: BACKWARDS, fromRevision: from, maxCount });
    for await (const { event } of read) if (event !== undefined) events.push(event);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
}

/** Appends with an exact expected revision: the stream must still be as it was read. */
export async function appendStreamEvents(
  client: EventStoreDBClient,
  streamName: string,
  events: EventData[],
  expectedRevision: bigint | undefined,
): Promise<AppendOutcome> {
  const result = await client.appendToStream(streamName, events, { expectedRevision: expectedRevision ?? NO_STREAM });
  return { revision: result.nextExpectedRevision, position: result.position };
}

const utf8 = new TextEncoder();

/**
 * The metadata goes as its UTF-8 JSON bytes, the very bytes the client would send for the object: given
 * an object, @eventstore/db-client stringifies it to base64 and google-protobuf decodes that back, twice
 * per append (once to size the batch); about 3% of the command API's CPU per deposit. (A plain
 * Uint8Array: the client checks the constructor, so a Buffer would be stringified as an object.)
 */
export function toEventData(
  id: string,
  stored: { type: string; data: JsonObject },
  metadata: EventMetadata,
): EventData {
  return jsonEvent({ id, type: stored.type, data: stored.data, metadata: utf8.encode(JSON.stringify(metadata)) });
}
