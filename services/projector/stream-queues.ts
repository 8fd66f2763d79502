import type { PersistentSubscriptionToAll, PersistentSubscriptionToAllResolvedEvent } from '@eventstore/db-client';
import type { DeliveredEvent } from './projection.ts';

/** An event the server delivered and the worker has not settled yet. */
export interface HeldEvent {
  /** Where its ack goes: the latest subscription that delivered it (a redelivery may come on a new one). */
  subscription: PersistentSubscriptionToAll;
  resolved: PersistentSubscriptionToAllResolvedEvent;
  readonly delivered: DeliveredEvent;
}

/**
 * One queue per stream, ordered by revision, each worked through one event at a time while different
 * streams proceed concurrently (their Redis calls share the connection's pipeline). Serial per stream
 * keeps a worker from creating gaps itself; ordering by revision puts a retried earlier event ahead of
 * later ones that arrived first.
 */
export class StreamQueues {
  readonly #held = new Map<string, HeldEvent>();
  readonly #queues = new Map<string, HeldEvent[]>();
  readonly #active = new Map<string, Promise<void>>();

  constructor(
    private readonly project: (held: HeldEvent) => Promise<void>,
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
    let at = queue.length;
    while (at > 0 && queue[at - 1]!.delivered.revision > held.delivered.revision) at--;
    queue.splice(at, 0, held);
    this.#queues.set(stream, queue);
    if (!this.#active.has(stream)) this.#active.set(stream, this.#work(stream, queue));
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
    for (let next = queue.shift(); next !== undefined && this.mayStart(); next = queue.shift()) {
      try {
        await this.project(next);
      } finally {
        this.#held.delete(next.delivered.eventId);
      }
    }
    if (queue.length === 0 && this.#queues.get(stream) === queue) this.#queues.delete(stream);
    this.#active.delete(stream);
  }
}
