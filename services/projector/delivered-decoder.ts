import type { JsonObject, Open } from '../domain/index.ts';
import { UnhandledEventError, type DeliveredEvent } from './projection.ts';

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

export const stringOr = (value: unknown, fallback: string | null): string | null => (typeof value === 'string' ? value : fallback);

/** Turns a delivered event into a domain event (upcast and checked) and its metadata; throws when it cannot. */
export function deliveredDecoder<Type extends string, Event>(
  kind: string,
  isEventType: (type: string) => type is Type,
  decode: (type: Type, schemaVersion: number, data: JsonObject, open?: Open) => Event,
) {
  /** `open` unseals personal data (see the domain's personal-data.ts); events without any ignore it. */
  return (delivered: DeliveredEvent, open?: Open): { event: Event; metadata: JsonObject } => {
    if (!isEventType(delivered.type)) throw new Error(`${delivered.type} is not ${kind} event`);
    if (!isObject(delivered.data)) throw new Error('data is not a JSON object');
    const metadata = isObject(delivered.metadata) ? delivered.metadata : {};
    // Events written before metadata carried a schemaVersion are version 1 by definition.
    const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
    return { event: decode(delivered.type, schemaVersion, delivered.data, open), metadata };
  };
}

/**
 * Decodes a delivered event and checks that it names the aggregate of its stream. Either failure is an
 * UnhandledEventError: the worker nacks the event and the server parks it after maxRetryCount.
 */
export function decodeOwnEvent<Event>(
  delivered: DeliveredEvent,
  decode: (delivered: DeliveredEvent, open?: Open) => { event: Event; metadata: JsonObject },
  aggregate: { readonly noun: string; readonly streamPrefix: string; readonly idOf: (event: Event) => string },
  open?: Open,
): { aggregateId: string; event: Event; metadata: JsonObject } {
  let decoded: { event: Event; metadata: JsonObject };
  try {
    decoded = decode(delivered, open);
  } catch (error) {
    throw new UnhandledEventError(delivered, error);
  }
  const aggregateId = delivered.streamName.slice(aggregate.streamPrefix.length);
  const named = aggregate.idOf(decoded.event);
  if (named !== aggregateId) throw new UnhandledEventError(delivered, new Error(`event names ${aggregate.noun} ${named}`));
  return { aggregateId, ...decoded };
}
