import { decodeConsistencyToken } from '../domain/index.ts';
import type { AppliedFeed } from './applied-feed.ts';
import type { QueryApiContext } from './context.ts';
import { ConsistencyTimeout, InvalidArguments } from './graphql/errors.ts';

export type ConsistencyOutcome =
  | { readonly reached: true; readonly waited: boolean }
  | { readonly reached: false; readonly revision: number | undefined };

/**
 * Waits (bounded) until a read model holds at least `target` of its stream. It listens before it first
 * reads the stored revision, and renews the signal before each re-read: an apply that lands between a
 * read and the wait still wakes it, so no update is missed and nothing polls.
 */
export async function waitForRevision(
  feed: AppliedFeed,
  storedRevision: () => Promise<number | undefined>,
  request: { streamName: string; target: number; timeoutMs: number },
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
      const stored = await storedRevision();
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

/** Waits for the token's revision of `streamName`, or throws the typed error the client should see. */
export async function awaitToken(
  context: QueryApiContext,
  target: { readonly streamName: string; readonly feed: AppliedFeed; readonly storedRevision: () => Promise<number | undefined> },
  token: string,
): Promise<void> {
  const point = decodeConsistencyToken(token);
  const { streamName } = target;
  if (point === undefined) throw new InvalidArguments([{ argument: 'consistencyToken', message: 'not a token a mutation returned (stream@revision)' }]);
  if (point.streamName !== streamName) {
    throw new InvalidArguments([{ argument: 'consistencyToken', message: `names ${point.streamName}, not ${streamName}` }]);
  }
  const revision = Number(point.revision);
  const started = performance.now();
  const outcome = await waitForRevision(target.feed, target.storedRevision, { streamName, target: revision, timeoutMs: context.consistencyTimeoutMs });
  const seconds = (performance.now() - started) / 1_000;
  if (outcome.reached) {
    context.metrics.recordConsistencyWait(outcome.waited ? 'waited' : 'immediate', seconds);
    return;
  }
  context.metrics.recordConsistencyWait('timeout', seconds);
  throw new ConsistencyTimeout(streamName, revision, outcome.revision ?? null, Math.round(seconds * 1_000));
}
