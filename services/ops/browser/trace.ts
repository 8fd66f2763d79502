// Following one request across streams. Every event of a command or saga step carries the request's
// `$correlationId`; `$causationId` names what caused the event: another event's id (a saga step) or a
// command id. The chain is the correlated events as a causation tree, each branch in commit order.
// The real server's by-correlation projection keeps `$bc-<correlationId>` (links to each correlated
// event, in order); without it (embedded server, projections off) a bounded scan of $all around the
// traced event stands in (a request's events are written close together), and the page says how far
// it looked.
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { EventView } from '../stream-reader.ts';
import { metadataText, readAllAround, readNewestOfAll, readProjectedStream } from './store-reads.ts';

export interface TraceStep {
  readonly event: EventView;
  /** 0 for an event caused by something outside the chain (a command), else its cause's depth + 1. */
  readonly depth: number;
  /** The event in the chain that caused this one, if any. */
  readonly cause: EventView | undefined;
}

export interface Trace {
  readonly correlationId: string | undefined;
  readonly steps: readonly TraceStep[];
  readonly source: string;
}

export async function traceEvent(esdb: EventStoreDBClient, origin: EventView, scanLimit: number): Promise<Trace> {
  const correlationId = metadataText(origin, '$correlationId');
  if (correlationId === undefined) {
    return { correlationId, steps: [{ event: origin, depth: 0, cause: undefined }], source: 'this event carries no $correlationId' };
  }
  const { events, source } = await correlatedEvents(esdb, origin, correlationId, scanLimit);
  // A bounded scan can miss the origin itself; it still belongs at the start of its own trace.
  const inChain = events.some((event) => event.eventId === origin.eventId) ? events : [origin, ...events];
  return { correlationId, steps: causationOrder(inChain), source };
}

async function correlatedEvents(esdb: EventStoreDBClient, origin: EventView, correlationId: string, scanLimit: number) {
  const projected = await readProjectedStream(esdb, `$bc-${correlationId}`, 'forwards', scanLimit);
  if (projected !== undefined) {
    return { events: projected, source: `$bc-${correlationId} (the server's by-correlation projection, which can lag a moment behind)` };
  }
  const half = Math.ceil(scanLimit / 2).toLocaleString('en');
  const [scanned, window] = origin.position === null
    ? [(await readNewestOfAll(esdb, scanLimit)).reverse(), `the newest ${scanLimit.toLocaleString('en')} events of $all`]
    : [await readAllAround(esdb, origin.position, scanLimit), `the ${half} events of $all before this event and the ${half} from it on`];
  return {
    events: scanned.filter((event) => metadataText(event, '$correlationId') === correlationId),
    source: `${window} ($bc-${correlationId} does not exist: the server runs no by-correlation projection); events of this correlation outside them are not shown`,
  };
}

/** Depth-first from each uncaused event, children in commit order; `inOrder` is in commit order. */
export function causationOrder(inOrder: readonly EventView[]): TraceStep[] {
  const byId = new Map(inOrder.map((event) => [event.eventId, event]));
  const causeOf = (event: EventView): EventView | undefined => {
    const cause = byId.get(metadataText(event, '$causationId') ?? '');
    return cause === event ? undefined : cause;
  };
  const children = new Map<string, EventView[]>();
  for (const event of inOrder) {
    const cause = causeOf(event);
    if (cause !== undefined) children.set(cause.eventId, [...(children.get(cause.eventId) ?? []), event]);
  }
  const steps: TraceStep[] = [];
  const placed = new Set<string>();
  const visit = (event: EventView, depth: number, cause: EventView | undefined): void => {
    if (placed.has(event.eventId)) return;
    placed.add(event.eventId);
    steps.push({ event, depth, cause });
    for (const child of children.get(event.eventId) ?? []) visit(child, depth + 1, event);
  };
  for (const event of inOrder) if (causeOf(event) === undefined) visit(event, 0, undefined);
  // Events in a causation cycle have no uncaused root; they still appear, in commit order.
  for (const event of inOrder) visit(event, 0, causeOf(event));
  return steps;
}
