import type { ResolvedEvent } from '@eventstore/db-client';

/** One event as the browser shows it: plain values, data decoded. */
export interface EventView {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly created: Date;
  /** Parsed JSON, or a description of binary data. */
  readonly data: unknown;
  /** Empty when the event has none or it is not a JSON object. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const describeBytes = (bytes: Uint8Array): string => `(${bytes.byteLength} bytes of non-JSON data) ${Buffer.from(bytes).toString('utf8')}`;

/** The event a read answered (a link's target when links are resolved); undefined for a link to a deleted event. */
export function toEventView(resolved: ResolvedEvent): EventView | undefined {
  const event = resolved.event;
  if (event === undefined) return undefined;
  return {
    stream: event.streamId,
    revision: event.revision,
    id: event.id,
    type: event.type,
    created: event.created,
    data: event.data instanceof Uint8Array ? describeBytes(event.data) : event.data,
    metadata: isRecord(event.metadata) ? event.metadata : {},
  };
}

/** A metadata value that should be a string (`$correlationId`, `$causationId`, …), if it is one. */
export const metadataText = (event: EventView, key: string): string | undefined => {
  const value = event.metadata[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};
