// Catch-up subscriptions to one stream: history, a caught-up signal, then live events, each exactly once.
import { END, START, StreamDeletedError, binaryEvent, type ResolvedEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { appendOneByOne, rejectionOf, takeUntil, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();
const revisionsOf = (events: ResolvedEvent[]) => events.map((e) => e.event!.revision);
const upTo = (count: number) => Array.from({ length: count }, (_, i) => BigInt(i));

describe('subscribing to a stream', () => {
  it('from start delivers the history, signals caughtUp, then delivers live events', async () => {
    const stream = uniqueStreamName('sub-stream');
    await client.appendToStream(stream, testEvents(3));
    const subscription = client.subscribeToStream(stream, { fromRevision: START });
    const caughtUp = new Promise<number>((resolve) => subscription.once('caughtUp', () => resolve(seen.length)));
    const seen: ResolvedEvent[] = [];
    const received = takeUntil(subscription, (events) => {
      seen.splice(0, seen.length, ...events);
      return events.length === 5;
    });
    expect(await caughtUp).toBe(3);
    await client.appendToStream(stream, testEvents(2));
    expect(revisionsOf(await received)).toEqual(upTo(5));
  });

  it('from end delivers only events appended after subscribing', async () => {
    const stream = uniqueStreamName('sub-stream-end');
    await client.appendToStream(stream, testEvents(3));
    const subscription = client.subscribeToStream(stream, { fromRevision: END });
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    const received = takeUntil(subscription, (events) => events.length === 2);
    await client.appendToStream(stream, testEvents(2));
    expect(revisionsOf(await received)).toEqual([3n, 4n]);
  });

  it('from revision 2 delivers the events after revision 2', async () => {
    const stream = uniqueStreamName('sub-stream-revision');
    await client.appendToStream(stream, testEvents(5));
    const received = await takeUntil(client.subscribeToStream(stream, { fromRevision: 2n }), (events) => events.length === 2);
    expect(revisionsOf(received)).toEqual([3n, 4n]);
  });

  it('to a stream that does not exist yet waits and delivers its events once they are written', async () => {
    const stream = uniqueStreamName('sub-stream-later');
    const subscription = client.subscribeToStream(stream);
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    const received = takeUntil(subscription, (events) => events.length === 2);
    await client.appendToStream(stream, testEvents(2));
    expect(revisionsOf(await received)).toEqual([0n, 1n]);
  });

  it('delivers every event exactly once and in order while writers append across the history/live switch', async () => {
    const stream = uniqueStreamName('sub-stream-race');
    const total = 300;
    const writing = appendOneByOne(client, stream, total);
    // Subscribe while the writer is running, so the history read and the live feed overlap.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const received = await takeUntil(client.subscribeToStream(stream), (events) => events.length >= total);
    await writing;
    expect(revisionsOf(received)).toEqual(upTo(total));
  });

  it('to a tombstoned stream fails with StreamDeletedError', async () => {
    const stream = uniqueStreamName('sub-stream-tombstoned');
    await client.appendToStream(stream, testEvents(1));
    await client.tombstoneStream(stream);
    const error = await rejectionOf(takeUntil(client.subscribeToStream(stream), () => false));
    expect(error).toBeInstanceOf(StreamDeletedError);
  });

  it('with resolveLinkTos delivers the event a link points to', async () => {
    const target = uniqueStreamName('sub-link-target');
    const links = uniqueStreamName('sub-link-source');
    await client.appendToStream(target, testEvents(1));
    await client.appendToStream(links, binaryEvent({ type: '$>', data: Buffer.from(`0@${target}`) }));
    const [resolved] = await takeUntil(client.subscribeToStream(links, { resolveLinkTos: true }), (events) => events.length === 1);
    expect(resolved!.event).toMatchObject({ streamId: target, revision: 0n });
    expect(resolved!.link).toMatchObject({ streamId: links, type: '$>' });
  });
});
