import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, RedisClient } from '../platform/index.ts';
import { runApplyScript } from './apply-script.ts';
import { retryUntilDone } from './backoff.ts';
import type { GlobalRefresher } from './global-refresher.ts';
import type { ProjectorMetrics } from './metrics.ts';
import { UnhandledEventError, type DeliveredEvent, type Projection } from './projection.ts';

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

/**
 * Takes one event through the projection: plan (upcast, check), apply in one Lua script, fold the
 * aggregate into the globals, and only then say "ack". Redis failures are retried here with backoff,
 * so an outage holds events unacked instead of losing them.
 */
export async function projectEvent(context: ProjectEventContext, event: DeliveredEvent, retryCount: number): Promise<Settlement> {
  const { projection, group, metrics, log } = context;
  let plan;
  try {
    plan = projection.plan(event);
  } catch (error) {
    if (!(error instanceof UnhandledEventError)) throw error;
    metrics.unhandled.inc({ group });
    metrics.retries.inc({ group, reason: 'unhandled' });
    log.error(
      { eventId: event.eventId, stream: event.streamName, revision: String(event.revision), type: event.type, retryCount, err: error },
      'cannot project event: nacked; the server parks it after maxRetryCount',
    );
    return { kind: 'nack', reason: error.message };
  }

  const message = JSON.stringify({ stream: event.streamName, revision: Number(event.revision) });
  let waitedMs = 0;
  let pauseMs = 1;
  for (;;) {
    const outcome = await retryUntilDone(() => runApplyScript(context.redis, plan, event.revision, context.channel, message), {
      isAborted: context.isAborted,
      onFailure: (error) => {
        metrics.retries.inc({ group, reason: 'redis' });
        log.warn({ eventId: event.eventId, err: error }, 'redis write failed; retrying');
      },
    });
    if (outcome.kind === 'gap') {
      // An earlier revision is most likely being applied by another worker right now: wait briefly
      // instead of nacking at once, since every nack counts towards parking.
      if (waitedMs >= context.gapWaitMs) {
        metrics.retries.inc({ group, reason: 'gap' });
        return { kind: 'nack', reason: `gap: ${event.streamName} is at ${outcome.storedRevision}, event is ${event.revision}` };
      }
      await sleep(pauseMs);
      waitedMs += pauseMs;
      pauseMs = Math.min(pauseMs * 2, 50);
      continue;
    }
    (outcome.kind === 'applied' ? metrics.applied : metrics.duplicates).inc({ group });
    await context.globals.after(plan.aggregateId);
    return { kind: 'ack' };
  }
}
