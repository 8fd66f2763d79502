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

export interface LoadedStream<State> {
  readonly state: State;
  /** Revision of the last event, or undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
  /** Id of the last event: what a process manager names as the cause of the step it takes next. */
  readonly lastEventId: string | undefined;
  /** By command id; mutable so the stream cache can extend it after an append. */
  readonly commands: Map<string, RecordedCommand>;
}

export interface AppendOutcome {
  readonly revision: bigint;
  readonly position: Position | undefined;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

export type LoadedAccountStream = LoadedStream<AccountState>;

/** How to fold one aggregate's stream: its event types, its codec (with upcasters) and its evolve. */
export interface StreamFolder<Type extends string, Event, State> {
  readonly kind: string;
  readonly isEventType: (type: string) => type is Type;
  readonly decode: (type: Type, schemaVersion: number, data: JsonObject) => Event;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

const accountFolder: StreamFolder<AccountEvent['type'], AccountEvent, AccountState> = {
  kind: 'account', isEventType: isAccountEventType, decode: decodeAccountEvent, evolve, initialState,
};

/** Reads an account stream and folds it, upcasting old event shapes on the way. */
export function loadAccountStream(client: EventStoreDBClient, streamName: string): Promise<LoadedAccountStream> {
  return loadStream(client, streamName, accountFolder);
}

/** Reads an aggregate's stream and folds it, remembering which command appended which events. */
export async function loadStream<Type extends string, Event, State>(
  client: EventStoreDBClient,
  streamName: string,
  folder: StreamFolder<Type, Event, State>,
): Promise<LoadedStream<State>> {
  let state = folder.initialState;
  let revision: bigint | undefined;
  let lastEventId: string | undefined;
  const commands = new Map<string, RecordedCommand>();
  for (const event of await readRecordedEvents(client, streamName)) {
    if (!folder.isEventType(event.type) || !isObject(event.data)) {
      throw new Error(`${streamName}@${event.revision} holds ${event.type}, which ${folder.kind} streams do not hold`);
    }
    const metadata = isObject(event.metadata) ? event.metadata : {};
    // Events written before metadata carried a schemaVersion are version 1 by definition.
    const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
    state = folder.evolve(state, folder.decode(event.type, schemaVersion, event.data));
    revision = event.revision;
    lastEventId = event.id;
    if (typeof metadata.commandId === 'string') {
      const recorded = commands.get(metadata.commandId) ?? { firstRevision: event.revision, events: [] };
      recorded.events.push(jsonEvent({ id: event.id, type: event.type, data: event.data, metadata }));
      commands.set(metadata.commandId, recorded);
    }
  }
  return { state, revision, lastEventId, commands };
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
export async function appendStreamEvents(
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
