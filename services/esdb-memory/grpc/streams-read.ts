// Streams.Read: reads of a stream or of `$all` (forwards or backwards, counted) and catch-up
// subscriptions (history, then a caught-up message, then live events). A subscription is one
// cursor over the store, so the switch from history to live can neither skip nor repeat.
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { EventStore } from '../event-store.ts';
import type { ReadReq } from '../proto.ts';
import { invalidArgument, MalformedRequest, streamDeleted, toServiceError } from './errors.ts';
import { eventFilterOf, type EventFilter } from './event-filter.ts';
import {
  caughtUpResp,
  checkpointResp,
  confirmationResp,
  eventResp,
  streamNotFoundResp,
  type ReadEventOptions,
} from './read-responses.ts';
import { streamNameOf, uint64Of } from './request-fields.ts';

type ReadCall = ServerWritableStream<ReadReq, Buffer>;
type Options = NonNullable<ReturnType<ReadReq['getOptions']>>;

/** Writes with backpressure: resolves at once, or when the transport drains. */
const send = (call: ReadCall, message: Buffer): Promise<void> | undefined =>
  call.write(message) ? undefined : new Promise((resolve) => call.once('drain', () => resolve()));

const isClosed = (call: ReadCall): boolean => call.cancelled || call.destroyed || call.writableEnded;

export const createReadHandler = (store: EventStore) => (call: ReadCall): void => {
  const run = async () => {
    const options = call.request.getOptions();
    if (!options) throw new MalformedRequest('The read request carries no options.');
    const isSubscription = options.hasSubscription();
    if (!isSubscription && !options.hasCount()) throw new MalformedRequest('A read needs a count or a subscription.');
    const filter = options.hasFilter() ? eventFilterOf(options.getFilter()!) : undefined;
    if (options.hasStream()) {
      if (isSubscription) await subscribeToStream(store, call, options);
      else await readStream(store, call, options);
    } else if (options.hasAll()) {
      if (isSubscription) await subscribeToAll(store, call, options, filter);
      else await readAll(store, call, options, filter);
    } else throw new MalformedRequest('A read needs a stream or $all.');
  };
  run().then(
    () => {
      if (!isClosed(call)) call.end();
    },
    (error: unknown) => {
      if (!isClosed(call)) call.emit('error', toServiceError(error));
    },
  );
};

const countOf = (options: Options): number => uint64Of(options.getCount(), 'count');
const isBackwards = (options: Options): boolean => options.getReadDirection() === 1;

async function readStream(store: EventStore, call: ReadCall, options: Options): Promise<void> {
  const streamOptions = options.getStream()!;
  const streamName = streamNameOf(streamOptions);
  const view = store.streamView(streamName);
  if (view.kind === 'deleted') throw streamDeleted(streamName);
  if (view.kind === 'not-found') {
    await send(call, streamNotFoundResp(streamName));
    return;
  }
  const backwards = isBackwards(options);
  let revision: number;
  if (streamOptions.hasRevision()) revision = uint64Of(streamOptions.getRevision(), 'revision');
  else if (streamOptions.hasEnd()) revision = backwards ? view.last : view.last + 1;
  // "Start" is revision 0 in both directions: backwards from start reads just the first event.
  else revision = 0;
  const eventOptions: ReadEventOptions = { resolveLinks: options.getResolveLinks(), withCommitPosition: false };
  let remaining = countOf(options);
  if (backwards) {
    for (let r = Math.min(revision, view.last); r >= view.first && remaining > 0 && !isClosed(call); r--, remaining--) {
      await send(call, eventResp(store, view.events[r]!, eventOptions));
    }
  } else {
    for (let r = Math.max(revision, view.first); r <= view.last && remaining > 0 && !isClosed(call); r++, remaining--) {
      await send(call, eventResp(store, view.events[r]!, eventOptions));
    }
  }
}

/** First global index to read forwards (inclusive) or backwards (exclusive upper bound). */
const allStartIndex = (store: EventStore, options: Options): number => {
  const all = options.getAll()!;
  if (all.hasPosition()) {
    const commit = uint64Of(all.getPosition()!.getCommitPosition(), 'commit position');
    const prepare = uint64Of(all.getPosition()!.getPreparePosition(), 'prepare position');
    if (prepare > commit) throw invalidArgument('The prepare position must not exceed the commit position.');
    return store.indexAtOrAfter(commit);
  }
  if (all.hasEnd()) return store.visibleCount;
  // Start is position 0 in both directions: nothing lies before it, so a backwards read from start is empty.
  if (all.hasStart()) return 0;
  throw new MalformedRequest('A read of $all needs a start, an end or a position.');
};

async function readAll(store: EventStore, call: ReadCall, options: Options, filter: EventFilter | undefined) {
  const backwards = isBackwards(options);
  const eventOptions: ReadEventOptions = { resolveLinks: options.getResolveLinks(), withCommitPosition: true };
  let remaining = countOf(options);
  const start = allStartIndex(store, options);
  if (backwards) {
    for (let i = start - 1; i >= 0 && remaining > 0 && !isClosed(call); i--) {
      if (filter && !filter.matches(store, i)) continue;
      remaining--;
      await send(call, eventResp(store, i, eventOptions));
    }
  } else {
    const end = store.visibleCount;
    for (let i = start; i < end && remaining > 0 && !isClosed(call); i++) {
      if (filter && !filter.matches(store, i)) continue;
      remaining--;
      await send(call, eventResp(store, i, eventOptions));
    }
  }
}

/** Resolves when the store has more visible events, or the call ends. */
const waitForMore = (store: EventStore, call: ReadCall, seen: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    if (!seen() || isClosed(call)) return resolve();
    const done = () => {
      unsubscribe();
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    const unsubscribe = store.onVisible(done);
    call.once('cancelled', done);
    call.once('close', done);
  });

async function subscribeToStream(store: EventStore, call: ReadCall, options: Options): Promise<void> {
  const streamOptions = options.getStream()!;
  const streamName = streamNameOf(streamOptions);
  const eventOptions: ReadEventOptions = { resolveLinks: options.getResolveLinks(), withCommitPosition: true };
  const initial = store.streamView(streamName);
  if (initial.kind === 'deleted') throw streamDeleted(streamName);
  let next: number;
  if (streamOptions.hasRevision()) next = uint64Of(streamOptions.getRevision(), 'revision') + 1;
  else if (streamOptions.hasEnd()) next = initial.kind === 'found' ? initial.last + 1 : (store.lastRevisionOf(streamName) ?? -1) + 1;
  else next = 0;
  await send(call, confirmationResp());
  let caughtUp = false;
  while (!isClosed(call)) {
    const view = store.streamView(streamName);
    if (view.kind === 'deleted') throw streamDeleted(streamName);
    if (view.kind === 'found') {
      next = Math.max(next, view.first);
      for (; next <= view.last && !isClosed(call); next++) await send(call, eventResp(store, view.events[next]!, eventOptions));
    }
    if (!caughtUp) {
      caughtUp = true;
      await send(call, caughtUpResp());
    }
    const seenUpTo = store.visibleCount;
    await waitForMore(store, call, () => store.visibleCount === seenUpTo);
  }
}

async function subscribeToAll(store: EventStore, call: ReadCall, options: Options, filter: EventFilter | undefined) {
  const eventOptions: ReadEventOptions = { resolveLinks: options.getResolveLinks(), withCommitPosition: true };
  const all = options.getAll()!;
  let next = allStartIndex(store, options);
  // Subscribing from a position means "after it": skip the event at exactly that position.
  if (all.hasPosition() && next < store.visibleCount && store.positionAt(next) === Number(all.getPosition()!.getCommitPosition())) next++;
  await send(call, confirmationResp());
  let searched = 0;
  let caughtUp = false;
  while (!isClosed(call)) {
    const end = store.visibleCount;
    for (; next < end && !isClosed(call); next++) {
      if (!filter || filter.matches(store, next)) await send(call, eventResp(store, next, eventOptions));
      if (filter && ++searched >= filter.checkpointInterval) {
        searched = 0;
        await send(call, checkpointResp(store.positionAt(next)));
      }
    }
    if (!caughtUp) {
      caughtUp = true;
      await send(call, caughtUpResp());
    }
    await waitForMore(store, call, () => store.visibleCount === end);
  }
}
