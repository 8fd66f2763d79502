import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown into waiters when their worker is killed or stopped before the work could finish. */
export class WorkerStoppedError extends Error {
  constructor() {
    super('projector worker stopped');
    this.name = 'WorkerStoppedError';
  }
}

/**
 * Retries `attempt` until it succeeds: an unreachable Redis must hold events back (unacked), never drop
 * them. The delay doubles from 20 ms up to `maxDelayMs`, with jitter so that workers do not retry in step.
 */
export async function retryUntilDone<T>(
  attempt: () => Promise<T>,
  options: { readonly isAborted: () => boolean; readonly onFailure: (error: unknown) => void; readonly maxDelayMs?: number },
): Promise<T> {
  let delay = 20;
  for (;;) {
    if (options.isAborted()) throw new WorkerStoppedError();
    try {
      return await attempt();
    } catch (error) {
      if (options.isAborted()) throw new WorkerStoppedError();
      options.onFailure(error);
      await sleep(delay / 2 + Math.random() * (delay / 2));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 2_000);
    }
  }
}
