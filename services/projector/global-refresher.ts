import { retryUntilDone, WorkerStoppedError } from './backoff.ts';
import type { AggregateSnapshot } from './projection.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces global refreshes: every aggregate snapshot handed in while a refresh runs joins the next
 * one (the newest per aggregate), so under load one global call covers hundreds of events.
 * `after(snapshot)` settles once a refresh that *started after the call* has folded in that snapshot or
 * a newer one of the same aggregate, which is what makes acking the events it covers safe.
 */
export class GlobalRefresher {
  #dirty = new Map<string, AggregateSnapshot>();
  #waiters: Waiter[] = [];
  #running = false;
  #aborted = false;

  constructor(
    private readonly refresh: (snapshots: readonly AggregateSnapshot[]) => Promise<void>,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  after(snapshot: AggregateSnapshot): Promise<void> {
    if (this.#aborted) return Promise.reject(new WorkerStoppedError());
    const known = this.#dirty.get(snapshot.aggregateId);
    if (!known || known.revision < snapshot.revision) this.#dirty.set(snapshot.aggregateId, snapshot);
    const settled = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#running) {
      this.#running = true;
      setImmediate(() => void this.#run());
    }
    return settled;
  }

  /** Fails every waiter: the worker is going away without finishing. */
  abort(): void {
    this.#aborted = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new WorkerStoppedError());
    this.#dirty.clear();
  }

  async #run(): Promise<void> {
    while (this.#dirty.size > 0 && !this.#aborted) {
      const snapshots = [...this.#dirty.values()];
      const waiters = this.#waiters;
      this.#dirty = new Map();
      this.#waiters = [];
      try {
        await retryUntilDone(
          () => this.refresh(snapshots),
          { isAborted: () => this.#aborted, onFailure: this.onFailure },
        );
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.#running = false;
  }
}
