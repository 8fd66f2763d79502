// Shared pieces of the persistent-subscription tests. They use only the official client, so they
// pass unchanged against a real EventStoreDB (ESDB_CONNECTION_STRING); group and stream names are
// unique per test because every test shares one server.
import { randomUUID } from 'node:crypto';
import type { PersistentSubscriptionBase, ResolvedEvent } from '@eventstore/db-client';

export { rejectionOf, testEvents } from '../fidelity-support.ts';

export const uniqueGroupName = (prefix: string): string => `${prefix}-${randomUUID()}`;

type Received = ResolvedEvent & { retryCount: number };

/** What the consumer does with each event; it acks when nothing else is said. */
export type Handler<E extends Received> = (event: E, subscription: PersistentSubscriptionBase<E>) => Promise<void>;

export const ackAll = async <E extends Received>(event: E, subscription: PersistentSubscriptionBase<E>) =>
  subscription.ack(event);

/** A consumer running in the background, recording what it receives and how its call ended. */
export class TestConsumer<E extends Received> {
  readonly received: E[] = [];
  error: unknown;
  private readonly done: Promise<void>;
  private wake: () => void = () => {};

  constructor(
    readonly subscription: PersistentSubscriptionBase<E>,
    handle: Handler<E> = ackAll,
  ) {
    this.done = (async () => {
      try {
        for await (const event of subscription) {
          this.received.push(event);
          await handle(event, subscription);
          this.wake();
        }
      } catch (error) {
        this.error = error;
      }
      this.wake();
    })();
  }

  /** The ids (link id when there is one) of what was received, in order. */
  get ids(): string[] {
    return this.received.map((event) => (event.link ?? event.event)!.id);
  }

  /** Waits until `condition` holds, failing after `timeoutMs`. */
  async waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.error !== undefined) throw this.error;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${this.received.length}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  async waitForCount(count: number, timeoutMs?: number): Promise<E[]> {
    await this.waitUntil(() => this.received.length >= count, `${count} events`, timeoutMs);
    return this.received;
  }

  /** Waits for the consumer's call to end (with an error, or after unsubscribing). */
  async ended(): Promise<unknown> {
    await this.done;
    return this.error;
  }

  async stop(): Promise<void> {
    await this.subscription.unsubscribe();
  }
}

/** Polls `probe` until it returns something other than undefined. */
export const eventually = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Waits until the group reports `count` connected consumers (connecting is asynchronous). */
export const waitForConnections = async (info: () => Promise<{ connections: unknown[] }>, count: number): Promise<void> => {
  await eventually(async () => ((await info()).connections.length === count ? true : undefined), `${count} connections`);
};
