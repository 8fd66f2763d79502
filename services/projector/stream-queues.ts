import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PersistentSubscriptionToAll, PersistentSubscriptionToAllResolvedEvent } from '@eventstore/db-client';
import type { DeliveredEvent } from './projection.ts';

/** An event the server delivered and the worker has not settled yet. */
export interface HeldEvent {
  /** Where its ack goes: the latest subscription that delivered it (a redelivery may come on a new one). */
  subscription: PersistentSubscriptionToAll;
  resolved: PersistentSubscriptionToAllResolvedEvent;
  readonly delivered: DeliveredEvent;
}

/** At most this many events of one stream go into one apply call. */
const MAX_BATCH = 100;

/**
 * One queue per stream, ordered by revision, each worked through one batch at a time (whatever has
 * queued up for the stream meanwhile) while different streams proceed concurrently (their Redis calls
 * share the connection's pipeline). Serial per stream keeps a worker from creating gaps itself;
 * ordering by revision puts a retried earlier event ahead of later ones that arrived first.
 */
export class StreamQueues {
  readonly #held = new Map<string, HeldEvent>();
  readonly #queues = new Map<string, HeldEvent[]>();
  readonly #active = new Map<string, Promise<void>>();

  constructor(
    /** Works through a batch; answers the events it left unsettled, which go back into the queue. */
    private readonly project: (batch: readonly HeldEvent[]) => Promise<readonly HeldEvent[]>,
    private readonly mayStart: () => boolean,
  ) {}

  /** Events held: queued or in progress. */
  get size(): number {
    return this.#held.size;
  }

  add(held: HeldEvent): void {
    const existing = this.#held.get(held.delivered.eventId);
    if (existing) {
      // The server redelivered an event this worker is still on (message timeout, or a new
      // subscription after a drop): the one ack to come settles both deliveries.
      existing.subscription = held.subscription;
      existing.resolved = held.resolved;
      return;
    }
    this.#held.set(held.delivered.eventId, held);
    const stream = held.delivered.streamName;
    const queue = this.#queues.get(stream) ?? [];
    insertByRevision(queue, held);
    this.#queues.set(stream, queue);
    if (!this.#active.has(stream)) this.#active.set(stream, this.#work(stream, queue));
  }

  /** Whether an event of `stream` older than `revision` waits in the queue (not yet started). */
  hasEarlierQueued(stream: string, revision: bigint): boolean {
    const first = this.#queues.get(stream)?.[0];
    return first !== undefined && first.delivered.revision < revision;
  }

  /**
   * Forgets an event once it is acked or nacked, even while the rest of its batch goes on: a nacked
   * event the server redelivers at once must queue up anew rather than merge into a settled one.
   */
  release(held: HeldEvent): void {
    if (this.#held.get(held.delivered.eventId) === held) this.#held.delete(held.delivered.eventId);
  }

  /** Resolves when every event already started is finished; queued ones are not started. */
  async drain(): Promise<void> {
    await Promise.all(this.#active.values());
    this.clear();
  }

  clear(): void {
    this.#queues.clear();
    this.#held.clear();
  }

  async #work(stream: string, queue: HeldEvent[]): Promise<void> {
    // The server sends events in bursts (a stream's events are often adjacent in $all): starting on the
    // next turn lets the rest of the burst join the first batch, so one script call covers them all.
    await nextTurn();
    while (queue.length > 0 && this.mayStart()) {
      const batch = queue.splice(0, MAX_BATCH);
      let unsettled: readonly HeldEvent[] = [];
      try {
        unsettled = await this.project(batch);
      } finally {
        const requeued = new Set(unsettled);
        for (const held of batch) {
          if (requeued.has(held) && this.#held.get(held.delivered.eventId) === held) insertByRevision(queue, held);
          else this.release(held);
        }
      }
    }
    if (queue.length === 0 && this.#queues.get(stream) === queue) this.#queues.delete(stream);
    this.#active.delete(stream);
  }
}

function insertByRevision(queue: HeldEvent[], held: HeldEvent): void {
  let at = queue.length;
  while (at > 0 && queue[at - 1]!.delivered.revision > held.delivered.revision) at--;
  queue.splice(at, 0, held);
}
