import {
  jsonEvent,
  NO_STREAM,
  StreamNotFoundError,
  type EventData,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import {
  decodeAccountEvent,
  evolve,
  initialState,
  isAccountEventType,
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

/** Reads an account stream and folds it, upcasting old event shapes on the way. */
export async function loadAccountStream(client: EventStoreDBClient, streamName: string): Promise<LoadedAccountStream> {
  let state = initialState;
  let revision: bigint | undefined;
  const commands = new Map<string, RecordedCommand>();
  for (const event of await readRecordedEvents(client, streamName)) {
    if (!isAccountEventType(event.type) || !isObject(event.data)) {
      throw new Error(`${streamName}@${event.revision} holds ${event.type}, which is not an account event`);
    }
    const metadata = isObject(event.metadata) ? event.metadata : {};
    // Events written before metadata carried a schemaVersion are version 1 by definition.
    const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
    state = evolve(state, decodeAccountEvent(event.type, schemaVersion, event.data));
    revision = event.revision;
    if (typeof metadata.commandId === 'string') {
      const recorded = commands.get(metadata.commandId) ?? { firstRevision: event.revision, events: [] };
      recorded.events.push(jsonEvent({ id: event.id, type: event.type, data: event.data, metadata }));
      commands.set(metadata.commandId, recorded);
    }
  }
  return { state, revision, commands };
}

/**
 * Reads the whole stream before anything is decoded: failing half-way through a for-await would abandon
 * a live gRPC read, which keeps the client from closing.
 */
async function readRecordedEvents(client: EventStoreDBClient, streamName: string) {
  const events = [];
  try {
    for await (const { event } of client.readStream(streamName)) if (event !== undefined) events.push(event);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
}

/** Appends with an exact expected revision: the stream must still be as it was read. */
export async function appendAccountEvents(
  client: EventStoreDBClient,
  streamName: string,
  events: EventData[],
  expectedRevision: bigint | undefined,
): Promise<AppendOutcome> {
  const result = await client.appendToStream(streamName, events, { expectedRevision: expectedRevision ?? NO_STREAM });
  return { revision: result.nextExpectedRevision, position: result.position };
}

export function toEventData(
  id: string,
  stored: { type: string; data: JsonObject },
  metadata: EventMetadata,
): EventData {
  return jsonEvent({ id, type: stored.type, data: stored.data, metadata: { ...metadata } });
}
