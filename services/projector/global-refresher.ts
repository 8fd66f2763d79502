import { retryUntilDone, WorkerStoppedError } from './backoff.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const CHUNK = 500;

/**
 * Coalesces global refreshes: every aggregate touched while a refresh runs joins the next one, so under
 * load one global script covers hundreds of events. `after(id)` settles once a refresh that *started
 * after the call* has folded that aggregate in, which is what makes acking after it safe.
 */
export class GlobalRefresher {
  #dirty = new Set<string>();
  #waiters: Waiter[] = [];
  #running = false;
  #aborted = false;

  constructor(
    private readonly refresh: (ids: readonly string[]) => Promise<void>,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  after(aggregateId: string): Promise<void> {
    if (this.#aborted) return Promise.reject(new WorkerStoppedError());
    this.#dirty.add(aggregateId);
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
      const ids = [...this.#dirty];
      const waiters = this.#waiters;
      this.#dirty = new Set();
      this.#waiters = [];
      try {
        await retryUntilDone(
          () => Promise.all(chunks(ids).map((chunk) => this.refresh(chunk))),
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

function chunks(ids: string[]): string[][] {
  const result: string[][] = [];
  for (let at = 0; at < ids.length; at += CHUNK) result.push(ids.slice(at, at + CHUNK));
  return result;
}
