import type {
  EventStoreDBClient,
  PersistentSubscriptionToAll,
  PersistentSubscriptionToAllResolvedEvent,
  PersistentSubscriptionToAllSettings,
} from '@eventstore/db-client';
import { createEsdbClient, createRedisClient, type Logger, type RedisClient, type RedisTarget } from '../platform/index.ts';
import { WorkerStoppedError } from './backoff.ts';
import { GlobalRefresher } from './global-refresher.ts';
import { joinGroup } from './group-membership.ts';
import { measureGroupProgress } from './lag.ts';
import type { ProjectorMetrics } from './metrics.ts';
import { projectEvents, type ProjectEventContext, type Settlement } from './project-event.ts';
import { deliveredEventOf, groupNameOf, namespaceOf, type Projection } from './projection.ts';
import { activeVersionKey, appliedChannel } from './read-model-keys.ts';
import { ensureSubscriptionGroup } from './subscription-group.ts';
import { StreamQueues, type HeldEvent } from './stream-queues.ts';

export interface ProjectorWorkerOptions {
  readonly esdbConnectionString: string;
  readonly redisTarget: RedisTarget;
  readonly projection: Projection;
  readonly log: Logger;
  readonly metrics: ProjectorMetrics;
  readonly groupSettings?: Partial<PersistentSubscriptionToAllSettings>;
  /** Events the server keeps in flight to this worker: the worker's concurrency. */
  readonly bufferSize?: number;
  readonly gapWaitMs?: number;
  /** How often lag and parked counts are measured; 0 turns measuring off. */
  readonly progressIntervalMs?: number;
  /** How long a graceful stop waits for in-flight events before leaving them to redelivery. */
  readonly drainTimeoutMs?: number;
  /**
   * Whether to create the group when it does not exist (default). Without, the worker only joins,
   * retrying until the group appears: a version someone else (a rebuild) owns must not be recreated.
   */
  readonly createGroup?: boolean;
}

type WorkerState = 'new' | 'running' | 'stopping' | 'stopped';

/** One worker process's membership in one projection's subscription group. */
export class ProjectorWorker {
  readonly group: string;
  readonly #options: ProjectorWorkerOptions;
  readonly #esdb: EventStoreDBClient;
  readonly #redis: RedisClient;
  readonly #globals: GlobalRefresher;
  readonly #context: ProjectEventContext;
  readonly #queues: StreamQueues;
  #state: WorkerState = 'new';
  #subscription: (() => PersistentSubscriptionToAll) | undefined;
  #confirmed = false;
  #progressTimer: NodeJS.Timeout | undefined;
  #acks = new Map<PersistentSubscriptionToAll, PersistentSubscriptionToAllResolvedEvent[]>();
  #ackFlushScheduled = false;
  #inFlightNoted = false;

  constructor(options: ProjectorWorkerOptions) {
    this.#options = options;
    const { projection, log, metrics } = options;
    this.group = groupNameOf(projection);
    this.#esdb = createEsdbClient(options.esdbConnectionString);
    this.#redis = createRedisClient(options.redisTarget, log);
    this.#globals = new GlobalRefresher(
      (snapshots) => projection.refreshGlobals(this.#redis, snapshots),
      (error) => {
        metrics.retries.inc({ group: this.group, reason: 'redis' });
        log.warn({ err: error }, 'global read-model refresh failed; retrying');
      },
    );
    this.#context = {
      projection, group: this.group, channel: appliedChannel(namespaceOf(projection)), redis: this.#redis,
      globals: this.#globals, metrics, log, gapWaitMs: options.gapWaitMs ?? 1_000, isAborted: () => this.#state === 'stopped',
    };
    this.#queues = new StreamQueues((batch) => this.#project(batch), () => this.#state === 'running');
  }

  /** Subscribed, confirmed by the server, and Redis connected. */
  get ready(): boolean {
    return this.#state === 'running' && this.#confirmed && this.#redis.isReady;
  }

  async start(): Promise<void> {
    const { projection, log, metrics } = this.#options;
    await this.#redis.connect();
    const group = this.#options.createGroup === false ? 'joined' : await ensureSubscriptionGroup(this.#esdb, projection, this.#options.groupSettings);
    // The first version ever started becomes the active one; later versions wait for an explicit swap.
    await this.#redis.set(activeVersionKey(projection.name), String(projection.version), { condition: 'NX' });
    metrics.inFlight.set({ group: this.group }, 0);
    this.#state = 'running';
    this.#subscribe();
    const interval = this.#options.progressIntervalMs ?? 5_000;
    if (interval > 0) this.#progressTimer = setInterval(() => void this.#measureProgress(), interval);
    log.info({ group: this.group, groupWas: group, prefix: projection.streamPrefix }, 'projector worker started');
  }

  /** Graceful: stop taking events, finish and ack the ones in progress, then leave the group. */
  async stop(): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    clearInterval(this.#progressTimer);
    const drained = this.#queues.drain();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.#options.drainTimeoutMs ?? 10_000).unref());
    await Promise.race([drained, timeout]);
    await this.#flushAcks();
    this.#state = 'stopped';
    this.#globals.abort();
    await this.#subscription?.().unsubscribe().catch(() => undefined);
    await this.#close();
    this.#options.log.info({ group: this.group }, 'projector worker stopped');
  }

  /** Abrupt, as a crash: nothing in flight is acked; the server hands it to another worker. */
  async kill(): Promise<void> {
    this.#state = 'stopped';
    clearInterval(this.#progressTimer);
    this.#globals.abort();
    this.#queues.clear();
    await this.#close();
  }

  async #close(): Promise<void> {
    this.#options.metrics.inFlight.set({ group: this.group }, 0);
    await this.#esdb.dispose().catch(() => undefined);
    this.#redis.destroy();
  }

  #subscribe(): void {
    this.#subscription = joinGroup(this.#esdb, this.group, this.#options.bufferSize ?? 1_000, {
      isRunning: () => this.#state === 'running',
      onConfirmed: (confirmed) => (this.#confirmed = confirmed),
      onData: (subscription, resolved) => this.#receive(subscription, resolved),
      onDropped: (reason) => this.#options.metrics.subscriptionDrops.inc({ group: this.group, reason }),
      log: this.#options.log,
    });
  }

  #receive(subscription: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent): void {
    if (this.#state !== 'running') return;
    const event = resolved.event;
    if (event === undefined) {
      this.#queueAck(subscription, resolved);
      return;
    }
    this.#queues.add({ subscription, resolved, delivered: deliveredEventOf(event) });
    this.#noteInFlight();
  }

  /** The in-flight gauge follows deliveries once per turn of the event loop, not once per event. */
  #noteInFlight(): void {
    if (this.#inFlightNoted) return;
    this.#inFlightNoted = true;
    setImmediate(() => {
      this.#inFlightNoted = false;
      this.#options.metrics.inFlight.set({ group: this.group }, this.#queues.size);
    });
  }

  async #project(batch: readonly HeldEvent[]): Promise<readonly HeldEvent[]> {
    const unsettled = new Set(batch);
    const settle = (held: HeldEvent, settlement: Settlement): void => {
      unsettled.delete(held);
      this.#queues.release(held);
      if (settlement.kind === 'ack') this.#queueAck(held.subscription, held.resolved);
      else held.subscription.nack('retry', settlement.reason, held.resolved).catch(() => undefined);
    };
    const stream = batch[0]!.delivered.streamName;
    let requeue: readonly HeldEvent[] = [];
    try {
      const deliveries = batch.map((held) => ({ event: held.delivered, retryCount: held.resolved.retryCount }));
      const deferred = await projectEvents(
        this.#context, deliveries, (index, settlement) => settle(batch[index]!, settlement),
        (revision) => this.#queues.hasEarlierQueued(stream, revision),
      );
      requeue = deferred.map((index) => batch[index]!);
    } catch (error) {
      if (error instanceof WorkerStoppedError) return [];
      // A bug, not a bad event: nack so that the events are retried (and parked if they keep failing).
      this.#options.log.error({ eventIds: [...unsettled].map((held) => held.delivered.eventId), err: error }, 'unexpected failure projecting events');
      for (const held of unsettled) settle(held, { kind: 'nack', reason: String(error) });
    }
    this.#options.metrics.inFlight.set({ group: this.group }, this.#queues.size);
    return requeue;
  }

  /** Acks go out in batches, one request per turn of the event loop rather than one per event. */
  #queueAck(subscription: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent): void {
    const batch = this.#acks.get(subscription);
    if (batch) batch.push(resolved);
    else this.#acks.set(subscription, [resolved]);
    if (this.#ackFlushScheduled) return;
    this.#ackFlushScheduled = true;
    setImmediate(() => void this.#flushAcks());
  }

  async #flushAcks(): Promise<void> {
    this.#ackFlushScheduled = false;
    const batches = [...this.#acks];
    this.#acks.clear();
    // A failed ack (subscription gone) is harmless: the server redelivers and the apply finds a duplicate.
    await Promise.all(batches.map(([subscription, events]) => subscription.ack(...events).catch(() => undefined)));
  }

  async #measureProgress(): Promise<void> {
    const { metrics, projection, log } = this.#options;
    try {
      const progress = await measureGroupProgress(this.#esdb, projection);
      metrics.lag.set({ group: this.group }, progress.lag);
      metrics.parked.set({ group: this.group }, progress.parked);
    } catch (error) {
      log.debug({ err: error }, 'could not measure group progress');
    }
  }
}
