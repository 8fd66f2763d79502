import type {
  EventStoreDBClient,
  PersistentSubscriptionToAll,
  PersistentSubscriptionToAllResolvedEvent,
  PersistentSubscriptionToAllSettings,
} from '@eventstore/db-client';
import { AccountCommandHandler, KeyedLock, TransferCommandHandler } from '../command-api/index.ts';
import { transferStreamPrefix } from '../domain/index.ts';
import { createEsdbClient, type Logger } from '../platform/index.ts';
import { ensureGroup, joinGroup } from '../projector/index.ts';
import type { TransferMetrics } from './metrics.ts';
import { driveTransfer, type SagaStep } from './saga.ts';

export interface TransferProcessManagerOptions {
  readonly esdbConnectionString: string;
  readonly log: Logger;
  readonly metrics: TransferMetrics;
  /** Tests use their own group; every process manager of one deployment joins the same one. */
  readonly group?: string;
  readonly groupSettings?: Partial<PersistentSubscriptionToAllSettings>;
  /** TransferRequested events in flight per worker: how many transfers it drives at once. */
  readonly bufferSize?: number;
  readonly afterStep?: (transferId: string, step: SagaStep) => Promise<void>;
  /**
   * Which requested transfers this manager drives (all, unless given). Tests share one server per run:
   * each test file's managers drive only the transfers that file requested, told apart by the actor.
   */
  readonly accepts?: (requested: { readonly transferId: string; readonly actor: string | undefined }) => boolean;
}

export const TRANSFERS_GROUP = 'pm-transfers-v1';

type State = 'new' | 'running' | 'stopping' | 'stopped';

/**
 * One worker of the transfers process manager: a member of one persistent-subscription group on the
 * transfer streams. Each TransferRequested is driven to a final status and only then acked, so a worker
 * that dies mid-transfer leaves it unacked and the server hands it to another worker (or to this one
 * restarted), which resumes from the transfer stream. The events the saga itself appends are acked
 * unread: the TransferRequested delivery is what carries a transfer to its end.
 */
export class TransferProcessManager {
  readonly group: string;
  readonly #options: TransferProcessManagerOptions;
  readonly #esdb: EventStoreDBClient;
  readonly #lock = new KeyedLock();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #deps;
  #state: State = 'new';
  #subscription: (() => PersistentSubscriptionToAll) | undefined;
  #confirmed = false;

  constructor(options: TransferProcessManagerOptions) {
    this.#options = options;
    this.group = options.group ?? TRANSFERS_GROUP;
    this.#esdb = createEsdbClient(options.esdbConnectionString);
    this.#deps = {
      // One account command handler per worker, with its stream cache, as the command API has.
      // A retried step is recognised among the commands of the latest `recentEvents` events of the account,
      // so the window is wider than the command API's: a restart may come after many other movements.
      accounts: new AccountCommandHandler(this.#esdb, { maxConflictRetries: 20, retryBaseDelayMs: 5, cachedStreams: 10_000, recentEvents: 1_000 }),
      transfers: new TransferCommandHandler(this.#esdb, { maxConflictRetries: 10 }),
      now: () => new Date(),
      ...(options.afterStep === undefined ? {} : { afterStep: options.afterStep }),
    };
  }

  get ready(): boolean {
    return this.#state === 'running' && this.#confirmed;
  }

  async start(): Promise<void> {
    await ensureGroup(this.#esdb, { group: this.group, streamPrefix: transferStreamPrefix }, this.#options.groupSettings);
    this.#state = 'running';
    this.#subscribe();
    this.#options.log.info({ group: this.group }, 'transfers process manager started');
  }

  /** Graceful: take nothing new, let the transfers in progress reach their final status, leave the group. */
  async stop(): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    await Promise.all(this.#inFlight);
    this.#state = 'stopped';
    await this.#subscription?.().unsubscribe().catch(() => undefined);
    await this.#esdb.dispose().catch(() => undefined);
    this.#options.log.info({ group: this.group }, 'transfers process manager stopped');
  }

  /** Abrupt, as a crash: nothing in flight is acked; the server hands it to another worker. */
  async kill(): Promise<void> {
    this.#state = 'stopped';
    await this.#esdb.dispose().catch(() => undefined);
  }

  #subscribe(): void {
    this.#subscription = joinGroup(this.#esdb, this.group, this.#options.bufferSize ?? 200, {
      isRunning: () => this.#state === 'running',
      onConfirmed: (confirmed) => (this.#confirmed = confirmed),
      onData: (subscription, resolved) => this.#receive(subscription, resolved),
      onDropped: (reason) => this.#options.metrics.subscriptionDrops.inc({ reason }),
      log: this.#options.log,
    });
  }

  #receive(subscription: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent): void {
    if (this.#state !== 'running') return;
    const event = resolved.event;
    const transferId = event?.streamId.slice(transferStreamPrefix.length) ?? '';
    const actor = (event?.metadata as { actor?: string } | undefined)?.actor;
    if (event?.type !== 'TransferRequested' || this.#options.accepts?.({ transferId, actor }) === false) {
      subscription.ack(resolved).catch(() => undefined);
      return;
    }
    const done = this.#lock.run(transferId, () => this.#drive(subscription, resolved, transferId));
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  async #drive(subscription: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent, transferId: string): Promise<void> {
    const { metrics, log } = this.#options;
    metrics.inFlight.inc();
    const stopTimer = metrics.driveSeconds.startTimer();
    try {
      const status = await driveTransfer(this.#deps, transferId);
      stopTimer({ status });
      metrics.finished.inc({ status });
      if (this.#state !== 'stopped') await subscription.ack(resolved).catch(() => undefined);
    } catch (error) {
      // Killed mid-drive: the crash leaves the event unacked, as a real one would.
      if (this.#state === 'stopped') return;
      metrics.failures.inc();
      log.warn({ transferId, retryCount: resolved.retryCount, err: error }, 'transfer step failed; nacked for retry');
      await subscription.nack('retry', String(error), resolved).catch(() => undefined);
    } finally {
      metrics.inFlight.dec();
    }
  }
}
