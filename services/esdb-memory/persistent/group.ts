// One subscription group, the way the server's PersistentSubscription runs it: read the source
// into a buffer (bounded by historyBufferSize), hand messages to consumers through the consumer
// strategy (retries first, in event order), track what is in flight with a deadline
// (messageTimeout), retry on nack or timeout until maxRetryCount and then park, and checkpoint
// the position before the oldest unfinished message (checkPointAfter / lower / upper bound).
import type { EventStore } from '../event-store.ts';
import { CheckpointStream, checkpointStreamOf } from './checkpoints.ts';
import { Consumer, type ConsumerConnection } from './consumer.ts';
import { createConsumerStrategy, type ConsumerStrategy } from './consumer-strategies.ts';
import { newMessage, type SubscriptionMessage } from './message.ts';
import { ParkedMessages, parkedStreamOf } from './parked-messages.ts';
import { PendingHeap } from './pending-heap.ts';
import type { GroupSettings } from './settings.ts';
import type { ScannedRecord, SubscriptionSource } from './source.ts';

export type NackAction = 'unknown' | 'park' | 'retry' | 'skip' | 'stop';

export interface GroupDefinition {
  source: SubscriptionSource;
  groupName: string;
  /** The start as the server writes it ("0", "-1", "C:0/P:0", …) and as a number (-1: end). */
  startFrom: { text: string; position: number };
  settings: GroupSettings;
}

/** Records looked at per synchronous scan, so a filtered `$all` group never blocks the server for long. */
const SCAN_BUDGET = 65_536;

export class SubscriptionGroup {
  readonly key: string;
  readonly consumers = new Map<string, Consumer>();
  readonly checkpoints: CheckpointStream;
  readonly parked: ParkedMessages;
  readonly outstanding = new Map<string, SubscriptionMessage>();
  readonly retryBuffer: SubscriptionMessage[] = [];
  readonly strategy: ConsumerStrategy;
  private readBuffer: SubscriptionMessage[] = [];
  private readHead = 0;
  private readonly pending = new PendingHeap();
  private cursor = 0;
  private nextSequence = 0;
  private lastScanned: { sequence: number; position: number | undefined } = { sequence: -1, position: undefined };
  private lastCheckpointedSequence = -1;
  private lastCheckpointAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private pumpScheduled = false;
  lastCheckpointedPosition: number | undefined;
  lastKnownPosition: number | undefined;
  totalItems = 0;

  constructor(
    private readonly store: EventStore,
    readonly definition: GroupDefinition,
  ) {
    this.key = `${definition.source.name}::${definition.groupName}`;
    this.checkpoints = new CheckpointStream(store, checkpointStreamOf(this.key));
    this.parked = new ParkedMessages(store, parkedStreamOf(this.key));
    this.strategy = createConsumerStrategy(definition.settings.consumerStrategy, store);
    this.loadCheckpoint();
  }

  get settings(): GroupSettings {
    return this.definition.settings;
  }

  get readBufferCount(): number {
    return this.readBuffer.length - this.readHead;
  }

  get isLive(): boolean {
    return this.definition.source.atEnd(this.cursor);
  }

  get hasReachedMaxConsumers(): boolean {
    return this.settings.maxSubscriberCount !== 0 && this.consumers.size >= this.settings.maxSubscriberCount;
  }

  private loadCheckpoint(): void {
    const { source } = this.definition;
    const checkpoint = this.checkpoints.read();
    const position = checkpoint === undefined ? undefined : source.parse(checkpoint);
    if (position === undefined) {
      this.cursor = source.cursorForStart(this.definition.startFrom.position);
      return;
    }
    this.cursor = source.cursorAfter(position);
    this.nextSequence = 1;
    this.lastCheckpointedSequence = 0;
    this.lastScanned = { sequence: 0, position };
    this.lastCheckpointedPosition = position;
  }

  addConsumer(connection: ConsumerConnection): Consumer {
    const consumer = new Consumer(connection);
    this.consumers.set(consumer.id, consumer);
    this.strategy.added(consumer);
    this.pump();
    return consumer;
  }

  /** A consumer left: whatever it held goes back to the others, one retry further on. */
  removeConsumer(id: string): void {
    const consumer = this.consumers.get(id);
    if (!consumer) return;
    this.consumers.delete(id);
    this.strategy.removed(consumer);
    const lost = [...consumer.inFlight.values()].sort((a, b) => a.retryOrder - b.retryOrder);
    for (const message of lost) this.retry(message);
    this.pump();
  }

  /** New events became visible in the store. */
  onAppended(): void {
    this.pump();
  }

  ack(ids: string[]): void {
    for (const id of ids) {
      const message = this.outstanding.get(id);
      if (message) this.finish(message);
    }
    this.tryCheckpoint(false);
    this.schedulePump();
  }

  nack(action: NackAction, ids: string[], reason: string): void {
    for (const id of ids) {
      const message = this.outstanding.get(id);
      if (!message) continue;
      switch (action) {
        case 'unknown':
        case 'retry':
          if (!this.parkIfRetriedOut(message)) this.retry(message);
          break;
        case 'park':
          this.park(message, `Client explicitly NAK'ed message.\n${reason}`);
          break;
        case 'skip':
        case 'stop':
          // The server only forgets the message for both (stopping is not implemented there either).
          this.finish(message);
          break;
      }
    }
    this.tryCheckpoint(false);
    this.schedulePump();
  }

  /** The server's clock tick: time out messages, checkpoint by time, keep reading. */
  tick(now: number): void {
    for (const message of [...this.outstanding.values()]) {
      if (message.expiresAt <= now && !this.parkIfRetriedOut(message)) this.retry(message);
    }
    this.pump();
    this.tryCheckpoint(true, now);
  }

  /** Replays parked messages with numbers below `stopAt` (all when undefined), ahead of new ones. */
  async replayParked(stopAt: number | undefined): Promise<void> {
    const replay = this.parked.toReplay(stopAt);
    if (!replay) return;
    for (const index of replay.indices) this.insertRetry(newMessage(this.store, index, true, undefined));
    await this.parked.markReplayed(replay.end);
    this.pump();
  }

  /** The group is deleted, updated or restarted: its consumers are dropped. */
  close(): void {
    this.closed = true;
    for (const consumer of this.consumers.values()) consumer.connection.drop();
    this.consumers.clear();
  }

  private pump(): void {
    if (this.closed) return;
    for (;;) {
      this.fill();
      if (this.consumers.size === 0 || !this.pushBuffered()) return;
    }
  }

  private fill(): void {
    const { source } = this.definition;
    const room = () => this.settings.historyBufferSize - this.readBufferCount - this.retryBuffer.length;
    let budget = SCAN_BUDGET;
    while (room() > 0 && !source.atEnd(this.cursor)) {
      if (budget <= 0) return this.schedulePump();
      const before = this.cursor;
      this.visited = 0;
      this.cursor = source.scan(this.cursor, Math.min(room(), budget), this.take, this.skip);
      budget -= Math.max(this.visited, 1);
      if (this.cursor === before) return;
    }
  }

  private visited = 0;

  private readonly take = (record: ScannedRecord): void => {
    this.visited++;
    const sequence = this.nextSequence++;
    const message = newMessage(this.store, record.index, this.settings.resolveLinkTos, {
      position: record.position,
      previousPosition: this.lastScanned.position,
      sequence,
    });
    this.lastScanned = { sequence, position: record.position };
    this.lastKnownPosition = record.position;
    this.readBuffer.push(message);
    this.pending.add(message);
  };

  private readonly skip = (position: number): void => {
    this.visited++;
    this.lastScanned = { sequence: this.nextSequence++, position };
  };

  /** Acks arrive one per event: refilling the consumers once per batch of them costs less. Long scans resume here too. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }


  /** Offers retries, then buffered messages, to the consumers; true if anything was sent. */
  private pushBuffered(): boolean {
    let sent = false;
    for (let i = 0; i < this.retryBuffer.length; ) {
      const message = this.retryBuffer[i]!;
      const result = this.strategy.push(message);
      if (result === 'full') return sent;
      if (result === 'sent') {
        this.retryBuffer.splice(i, 1);
        this.begin(message);
        sent = true;
      } else i++;
    }
    for (let i = this.readHead; i < this.readBuffer.length; ) {
      const message = this.readBuffer[i]!;
      const result = this.strategy.push(message);
      if (result === 'full') break;
      if (result === 'sent') {
        if (i === this.readHead) i = ++this.readHead;
        else this.readBuffer.splice(i, 1);
        this.begin(message);
        sent = true;
      } else i++;
    }
    if (this.readHead > 1024 && this.readHead * 2 > this.readBuffer.length) {
      this.readBuffer = this.readBuffer.slice(this.readHead);
      this.readHead = 0;
    }
    return sent;
  }

  private begin(message: SubscriptionMessage): void {
    message.expiresAt = Date.now() + this.settings.messageTimeoutMs;
    this.outstanding.set(message.eventId, message);
    this.totalItems++;
  }

  private finish(message: SubscriptionMessage): void {
    message.done = true;
    this.release(message);
  }

  private release(message: SubscriptionMessage): void {
    if (this.outstanding.get(message.eventId) === message) this.outstanding.delete(message.eventId);
    message.consumer?.release(message);
  }

  private retry(message: SubscriptionMessage): void {
    this.release(message);
    message.retryCount++;
    this.insertRetry(message);
  }

  private insertRetry(message: SubscriptionMessage): void {
    let at = this.retryBuffer.length;
    while (at > 0 && this.retryBuffer[at - 1]!.retryOrder > message.retryOrder) at--;
    this.retryBuffer.splice(at, 0, message);
  }

  private parkIfRetriedOut(message: SubscriptionMessage): boolean {
    if (message.retryCount < this.settings.maxRetryCount) return false;
    this.park(message, `Reached retry count of ${this.settings.maxRetryCount}`);
    return true;
  }

  /** Out of the consumers' hands at once; it stops holding back the checkpoint only once written. */
  private park(message: SubscriptionMessage, reason: string): void {
    this.release(message);
    void this.parked.park(message, reason).finally(() => {
      message.done = true;
      this.tryCheckpoint(false);
    });
  }

  private tryCheckpoint(isTimeCheck: boolean, now = Date.now()): void {
    if (this.closed) return;
    const lowest = this.pending.lowest();
    let sequence: number;
    let position: number | undefined;
    if (lowest) {
      sequence = lowest.sequence! - 1;
      position = lowest.previousPosition;
    } else {
      ({ sequence, position } = this.lastScanned);
    }
    if (position === undefined || sequence < 0) return;
    const difference = sequence - this.lastCheckpointedSequence;
    if (difference <= 0) return;
    const { checkPointAfterMs, minCheckPointCount, maxCheckPointCount } = this.settings;
    const checkPointAfter = checkPointAfterMs === 0 ? Number.POSITIVE_INFINITY : checkPointAfterMs;
    if (now - this.lastCheckpointAt < checkPointAfter && difference < maxCheckPointCount) return;
    if ((difference >= minCheckPointCount && isTimeCheck) || difference >= maxCheckPointCount) {
      this.lastCheckpointAt = now;
      this.lastCheckpointedSequence = sequence;
      this.lastCheckpointedPosition = position;
      this.checkpoints.write(this.definition.source.format(position));
    }
  }
}
