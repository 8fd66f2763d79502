// A connected consumer (one Read call): how many messages it may hold un-acked (the client's
// buffer size), which ones it holds, and what it has received.
import type { SubscriptionMessage } from './message.ts';

export interface ConsumerConnection {
  id: string;
  connectionName: string;
  from: string;
  username: string;
  maxInFlight: number;
  /** Sends one message to the consumer. */
  deliver(message: SubscriptionMessage): void;
  /** Ends the consumer's call with an error (the group was deleted, updated or restarted). */
  drop(): void;
}

export class Consumer {
  readonly inFlight = new Map<string, SubscriptionMessage>();
  totalItems = 0;
  lastTotalItems = 0;
  constructor(readonly connection: ConsumerConnection) {}

  get id(): string {
    return this.connection.id;
  }

  get availableSlots(): number {
    return Math.max(0, this.connection.maxInFlight - this.inFlight.size);
  }

  /** Sends the message if the consumer has room; false when it is full. */
  push(message: SubscriptionMessage): boolean {
    if (this.inFlight.size >= this.connection.maxInFlight) return false;
    this.inFlight.set(message.eventId, message);
    message.consumer = this;
    this.totalItems++;
    this.connection.deliver(message);
    return true;
  }

  release(message: SubscriptionMessage): void {
    if (this.inFlight.get(message.eventId) === message) this.inFlight.delete(message.eventId);
    if (message.consumer === this) message.consumer = undefined;
  }
}
