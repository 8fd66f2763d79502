// How a group picks the consumer for a message, as the server's consumer strategies do:
// RoundRobin rotates through consumers with room; DispatchToSingle keeps sending to the first
// consumer until it is full (then the next one becomes first); Pinned hashes the message's
// source stream into a bucket owned by one consumer (PinnedByCorrelation hashes `$correlationId`).
import type { EventStore } from '../event-store.ts';
import { LINK_EVENT_TYPE } from '../event-store.ts';
import { decodeRecordedEvent } from '../recorded-event.ts';
import type { Consumer } from './consumer.ts';
import { eventIndexOf, type SubscriptionMessage } from './message.ts';

export type PushResult = 'sent' | 'skipped' | 'full';

export interface ConsumerStrategy {
  readonly name: string;
  added(consumer: Consumer): void;
  removed(consumer: Consumer): void;
  push(message: SubscriptionMessage): PushResult;
}

class RoundRobin implements ConsumerStrategy {
  readonly name: string = 'RoundRobin';
  protected consumers: Consumer[] = [];
  protected next = 0;

  added(consumer: Consumer): void {
    this.consumers.push(consumer);
  }

  removed(consumer: Consumer): void {
    const at = this.consumers.indexOf(consumer);
    if (at < 0) return;
    this.consumers.splice(at, 1);
    if (at < this.next) this.next--;
    if (this.next >= this.consumers.length) this.next = 0;
  }

  push(message: SubscriptionMessage): PushResult {
    const count = this.consumers.length;
    for (let i = 0; i < count; i++) {
      const at = (this.next + i) % count;
      if (this.consumers[at]!.push(message)) {
        this.next = (at + 1) % count;
        return 'sent';
      }
    }
    return 'full';
  }
}

class DispatchToSingle extends RoundRobin {
  override readonly name = 'DispatchToSingle';

  override push(message: SubscriptionMessage): PushResult {
    const count = this.consumers.length;
    for (let i = 0; i < count; i++) {
      const at = (this.next + i) % count;
      if (this.consumers[at]!.push(message)) {
        this.next = at;
        return 'sent';
      }
    }
    return 'full';
  }
}

const BUCKETS = 1024;

/** 32-bit FNV-1a: stable across restarts, cheap, spreads stream names evenly enough. */
const hash = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

class Pinned implements ConsumerStrategy {
  private readonly owners: (Consumer | undefined)[] = new Array(BUCKETS).fill(undefined);
  private readonly owned = new Map<Consumer, number>();

  constructor(
    readonly name: string,
    private readonly keyOf: (message: SubscriptionMessage) => string,
  ) {}

  added(consumer: Consumer): void {
    this.owned.set(consumer, 0);
  }

  removed(consumer: Consumer): void {
    this.owned.delete(consumer);
    for (let i = 0; i < BUCKETS; i++) if (this.owners[i] === consumer) this.owners[i] = undefined;
  }

  push(message: SubscriptionMessage): PushResult {
    let capacity = 0;
    for (const consumer of this.owned.keys()) capacity += consumer.availableSlots;
    if (capacity === 0) return 'full';
    const bucket = hash(this.keyOf(message)) % BUCKETS;
    let owner = this.owners[bucket];
    if (!owner) {
      owner = this.leastLoaded();
      this.owners[bucket] = owner;
      this.owned.set(owner, (this.owned.get(owner) ?? 0) + 1);
    }
    return owner.push(message) ? 'sent' : 'skipped';
  }

  private leastLoaded(): Consumer {
    let best: Consumer | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const [consumer, count] of this.owned) {
      if (count < bestCount) {
        best = consumer;
        bestCount = count;
      }
    }
    return best!;
  }
}

/** The stream an event came from: a resolved event's own stream, an unresolved link's target stream. */
export const sourceStreamOf = (store: EventStore, message: SubscriptionMessage): string => {
  const index = eventIndexOf(message);
  if (store.typeAt(index) !== LINK_EVENT_TYPE) return store.streamNameAt(index);
  const data = Buffer.from(decodeRecordedEvent(store.bytesAt(index)).data).toString('utf8');
  const at = data.indexOf('@');
  return at === -1 ? data : data.slice(at + 1);
};

const correlationIdOf = (store: EventStore, message: SubscriptionMessage): string | undefined => {
  try {
    const metadata: unknown = JSON.parse(Buffer.from(decodeRecordedEvent(store.bytesAt(eventIndexOf(message))).metadata).toString('utf8'));
    const value = (metadata as Record<string, unknown> | null)?.['$correlationId'];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
};

export const createConsumerStrategy = (name: string, store: EventStore): ConsumerStrategy => {
  switch (name) {
    case 'DispatchToSingle':
      return new DispatchToSingle();
    case 'Pinned':
      return new Pinned(name, (message) => sourceStreamOf(store, message));
    case 'PinnedByCorrelation':
      return new Pinned(name, (message) => correlationIdOf(store, message) ?? sourceStreamOf(store, message));
    default:
      return new RoundRobin();
  }
};
