import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, RedisClient } from '../platform/index.ts';
import { runApplyBatch, type BatchEvent } from './apply-script.ts';
import { retryUntilDone } from './backoff.ts';
import type { GlobalRefresher } from './global-refresher.ts';
import type { ProjectorMetrics } from './metrics.ts';
import { UnhandledEventError, type DeliveredEvent, type PlannedApply, type Projection } from './projection.ts';

/** What to tell the server about an event once the worker is done with it. */
export type Settlement = { readonly kind: 'ack' } | { readonly kind: 'nack'; readonly reason: string };

export interface ProjectEventContext {
  readonly projection: Projection;
  readonly group: string;
  readonly channel: string;
  readonly redis: RedisClient;
  readonly globals: GlobalRefresher;
  readonly metrics: ProjectorMetrics;
  readonly log: Logger;
  /** How long a gap is waited out locally before the event is nacked for redelivery. */
  readonly gapWaitMs: number;
  readonly isAborted: () => boolean;
}

/** One delivery of an event, with how often the server has retried it. */
export interface Delivery {
  readonly event: DeliveredEvent;
  readonly retryCount: number;
}

interface PlannedEvent extends BatchEvent {
  readonly index: number;
  readonly event: DeliveredEvent;
}

/**
 * Takes consecutive events of one stream (ordered by revision) through the projection: plan (upcast,
 * check), apply them in one Lua script, fold the aggregate's snapshot into the globals, and only then
 * settle each with "ack". Redis failures are retried here with backoff, so an outage holds events
 * unacked instead of losing them. Events it does not get to (after an unhandled event, or behind a gap
 * it has given up waiting on) are neither acked nor nacked: it answers their indexes, and the caller
 * queues them again, so that each event gets its own gap wait and its own nack, as if it came alone.
 */
export async function projectEvents(
  context: ProjectEventContext,
  deliveries: readonly Delivery[],
  settle: (index: number, settlement: Settlement) => void,
  hasEarlierQueued: (revision: bigint) => boolean,
): Promise<number[]> {
  const planned: PlannedEvent[] = [];
  for (const [index, { event, retryCount }] of deliveries.entries()) {
    const plan = await planOrReport(context, event, retryCount);
    if (!(plan instanceof UnhandledEventError)) {
      planned.push({ index, event, plan, revision: event.revision });
      continue;
    }
    const deferred = await applyInOrder(context, planned, settle, hasEarlierQueued);
    if (deferred.length > 0) return [...deferred, ...indexesFrom(index, deliveries.length)];
    settle(index, { kind: 'nack', reason: plan.message });
    return indexesFrom(index + 1, deliveries.length);
  }
  return applyInOrder(context, planned, settle, hasEarlierQueued);
}

const indexesFrom = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, at) => from + at);

/** Plans the event; Redis failures while planning (a key lookup) are retried, never held against the event. */
async function planOrReport(context: ProjectEventContext, event: DeliveredEvent, retryCount: number): Promise<PlannedApply | UnhandledEventError> {
  const { projection, group, metrics, log } = context;
  const plan = await retryUntilDone(
    () => projection.plan(event, context.redis).catch((error: unknown) => {
      if (error instanceof UnhandledEventError) return error;
      throw error;
    }),
    {
      isAborted: context.isAborted,
      onFailure: (error) => {
        metrics.retries.inc({ group, reason: 'redis' });
        log.warn({ eventId: event.eventId, err: error }, 'redis read while planning failed; retrying');
      },
    },
  );
  if (!(plan instanceof UnhandledEventError)) return plan;
  metrics.unhandled.inc({ group });
  metrics.retries.inc({ group, reason: 'unhandled' });
  log.error(
    { eventId: event.eventId, stream: event.streamName, revision: String(event.revision), type: event.type, retryCount, err: plan },
    'cannot project event: nacked; the server parks it after maxRetryCount',
  );
  return plan;
}

async function applyInOrder(
  context: ProjectEventContext,
  planned: readonly PlannedEvent[],
  settle: (index: number, settlement: Settlement) => void,
  hasEarlierQueued: (revision: bigint) => boolean,
): Promise<number[]> {
  const { projection, group, metrics, log } = context;
  let remaining = planned;
  let waitedMs = 0;
  let pauseMs = 1;
  while (remaining.length > 0) {
    const batch = remaining;
    const notice = { channel: context.channel, stream: batch[0]!.event.streamName };
    const result = await retryUntilDone(() => runApplyBatch(context.redis, batch, notice, projection.snapshotFields), {
      isAborted: context.isAborted,
      onFailure: (error) => {
        metrics.retries.inc({ group, reason: 'redis' });
        log.warn({ eventId: batch[0]!.event.eventId, events: batch.length, err: error }, 'redis write failed; retrying');
      },
    });
    const done = batch.slice(0, result.outcomes.length);
    remaining = batch.slice(result.outcomes.length);
    if (done.length > 0) {
      const applied = result.outcomes.filter((outcome) => outcome === 'applied').length;
      if (applied > 0) metrics.applied.inc({ group }, applied);
      if (applied < done.length) metrics.duplicates.inc({ group }, done.length - applied);
      await context.globals.after({ aggregateId: done[0]!.plan.aggregateId, revision: result.storedRevision, fields: result.snapshot });
      for (const { index } of done) settle(index, { kind: 'ack' });
    }
    const [head, ...rest] = remaining;
    if (head === undefined) return [];
    // The missing revision came to this worker meanwhile (a redelivery): let the queue order it first.
    if (hasEarlierQueued(head.revision)) return remaining.map(({ index }) => index);
    // An earlier revision is most likely being applied by another worker right now: wait briefly
    // instead of nacking at once, since every nack counts towards parking.
    if (waitedMs >= context.gapWaitMs) {
      metrics.retries.inc({ group, reason: 'gap' });
      settle(head.index, { kind: 'nack', reason: `gap: ${head.event.streamName} is at ${result.storedRevision}, event is ${head.revision}` });
      return rest.map(({ index }) => index);
    }
    await sleep(pauseMs);
    waitedMs += pauseMs;
    pauseMs = Math.min(pauseMs * 2, 50);
  }
  return [];
}
