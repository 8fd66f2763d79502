import { jsonEvent, StreamNotFoundError, type EventStoreDBClient } from '@eventstore/db-client';
import {
  decodeTransferEvent,
  evolveTransfer,
  initialTransferState,
  isTransferEventType,
  type JsonObject,
  type TransferState,
} from '../domain/index.ts';
import type { RecordedCommand } from './account-stream.ts';

/** A transfer stream folded: its state, last revision and event id, and the commands that wrote it. */
export interface TransferStreamView {
  readonly state: TransferState;
  /** Revision of the last event, or undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
  /** Id of the last event: what the process manager names as the cause of the step it takes next. */
  readonly lastEventId: string | undefined;
  readonly commands: ReadonlyMap<string, RecordedCommand>;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** Reads a whole transfer stream (a handful of events) forwards and folds it, upcasting on the way. */
export async function loadTransferStream(client: EventStoreDBClient, streamName: string): Promise<TransferStreamView> {
  // Read whole before decoding: failing half-way through a for-await would abandon a live gRPC read.
  const stored = [];
  try {
    for await (const { event } of client.readStream(streamName)) if (event !== undefined) stored.push(event);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  let state = initialTransferState;
  const commands = new Map<string, RecordedCommand>();
  for (const event of stored) {
    if (!isTransferEventType(event.type) || !isObject(event.data)) {
      throw new Error(`${streamName}@${event.revision} holds ${event.type}, which is not a transfer event`);
    }
    const metadata = isObject(event.metadata) ? event.metadata : {};
    const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
    state = evolveTransfer(state, decodeTransferEvent(event.type, schemaVersion, event.data));
    if (typeof metadata.commandId !== 'string') continue;
    const recorded = commands.get(metadata.commandId) ?? { firstRevision: event.revision, events: [] };
    recorded.events.push(jsonEvent({ id: event.id, type: event.type, data: event.data, metadata }));
    commands.set(metadata.commandId, recorded);
  }
  return { state, revision: stored.at(-1)?.revision, lastEventId: stored.at(-1)?.id, commands };
}
