import type { AppliedFeed } from './applied-feed.ts';
import type { AccountReadModels } from './read-models.ts';

export type ConsistencyOutcome =
  | { readonly reached: true; readonly waited: boolean }
  | { readonly reached: false; readonly revision: number | undefined };

/**
 * Waits (bounded) until the account's read model holds at least `target` of its stream. It listens
 * before it first reads the stored revision, and renews the signal before each re-read: an apply that
 * lands between a read and the wait still wakes it, so no update is missed and nothing polls.
 */
export async function waitForRevision(
  feed: AppliedFeed,
  readModels: AccountReadModels,
  request: { streamName: string; accountId: string; target: number; timeoutMs: number },
): Promise<ConsistencyOutcome> {
  let wake = (): void => {};
  let signal!: Promise<void>;
  const renew = (): void => {
    signal = new Promise((resolve) => (wake = resolve));
  };
  renew();
  const stopListening = feed.listen(request.streamName, (revision) => {
    if (revision >= request.target) wake();
  });
  const deadline = Date.now() + request.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    let waited = false;
    for (;;) {
      const stored = await readModels.storedRevision(request.accountId);
      if (stored !== undefined && stored >= request.target) return { reached: true, waited };
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { reached: false, revision: stored };
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, remaining)));
      await Promise.race([signal, timedOut]);
      clearTimeout(timer);
      renew();
      waited = true;
    }
  } finally {
    clearTimeout(timer);
    stopListening();
  }
}
