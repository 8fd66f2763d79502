import { decodeConsistencyToken } from '../domain/index.ts';
import type { AppliedFeed } from './applied-feed.ts';
import type { QueryApiContext } from './context.ts';
import { ConsistencyTimeout, InvalidArguments } from './graphql/errors.ts';

/** A read model's view of one stream: what a query answers with, and the last stream revision it includes. */
export interface RevisionedView {
  readonly revision: number;
}

export type ConsistencyOutcome<View> =
  | { readonly reached: true; readonly view: View; readonly waited: boolean }
  | { readonly reached: false; readonly revision: number | undefined };

/**
 * Waits (bounded) until a read model holds at least `target` of its stream, and answers the view that
 * showed it: the view itself carries its revision, so each check is the one read the query needs anyway
 * rather than a revision read followed by the view read (a Redis round trip fewer on the path from a
 * mutation's answer to a query showing it). It listens before it first reads, and renews the signal
 * before each re-read: an apply that lands between a read and the wait still wakes it, so no update is
 * missed and nothing polls.
 */
export async function waitForRevision<View extends RevisionedView>(
  feed: AppliedFeed,
  read: () => Promise<View | undefined>,
  request: { streamName: string; target: number; timeoutMs: number },
): Promise<ConsistencyOutcome<View>> {
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
      const view = await read();
      if (view !== undefined && view.revision >= request.target) return { reached: true, view, waited };
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { reached: false, revision: view?.revision };
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

/** Reads the view once it includes the token's revision of `streamName`, or throws the typed error the client should see. */
export async function awaitToken<View extends RevisionedView>(
  context: QueryApiContext,
  target: { readonly streamName: string; readonly feed: AppliedFeed; readonly read: () => Promise<View | undefined> },
  token: string,
): Promise<View> {
  const point = decodeConsistencyToken(token);
  const { streamName } = target;
  if (point === undefined) throw new InvalidArguments([{ argument: 'consistencyToken', message: 'not a token a mutation returned (stream@revision)' }]);
  if (point.streamName !== streamName) {
    throw new InvalidArguments([{ argument: 'consistencyToken', message: `names ${point.streamName}, not ${streamName}` }]);
  }
  const revision = Number(point.revision);
  const started = performance.now();
  const outcome = await waitForRevision(target.feed, target.read, { streamName, target: revision, timeoutMs: context.consistencyTimeoutMs });
  const seconds = (performance.now() - started) / 1_000;
  if (outcome.reached) {
    context.metrics.recordConsistencyWait(outcome.waited ? 'waited' : 'immediate', seconds);
    return outcome.view;
  }
  context.metrics.recordConsistencyWait('timeout', seconds);
  throw new ConsistencyTimeout(streamName, revision, outcome.revision ?? null, Math.round(seconds * 1_000));
}
