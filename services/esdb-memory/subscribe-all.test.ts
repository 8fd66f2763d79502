// Catch-up subscriptions to `$all`, with server-side filters and the checkpoints filtered subscriptions send.
import {
  END,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Position,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { appendOneByOne, comparePositions, lastPositionInAll, takeUntil, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();
const idsOf = (events: AllStreamResolvedEvent[]) => events.map((e) => e.event!.id);

describe('subscribing to $all', () => {
  it('from a position delivers what follows it (not the event at it), signals caughtUp, then live events', async () => {
    const stream = uniqueStreamName('sub-all');
    const before = await lastPositionInAll(client);
    const history = testEvents(3);
    await client.appendToStream(stream, history);
    const subscription = client.subscribeToAll({ fromPosition: before, filter: streamNameFilter({ prefixes: [stream] }) });
    let seenAtCaughtUp = -1;
    const seen: AllStreamResolvedEvent[] = [];
    subscription.once('caughtUp', () => (seenAtCaughtUp = seen.length));
    const live = testEvents(2);
    const received = takeUntil(subscription, (events) => {
      seen.splice(0, seen.length, ...events);
      if (events.length === 3) void client.appendToStream(stream, live);
      return events.length === 5;
    });
    expect(idsOf(await received)).toEqual([...history, ...live].map((e) => e.id));
    expect(seenAtCaughtUp).toBe(3);
  });

  it('from end delivers only new events', async () => {
    const stream = uniqueStreamName('sub-all-end');
    await client.appendToStream(stream, testEvents(2));
    const subscription = client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: [stream] }) });
    await new Promise((resolve) => subscription.once('caughtUp', resolve));
    const live = testEvents(2);
    const received = takeUntil(subscription, (events) => events.length === 2);
    await client.appendToStream(stream, live);
    expect(idsOf(await received)).toEqual(live.map((e) => e.id));
  });

  it('a stream-name regex filter delivers only the streams it matches', async () => {
    const tag = randomUUID().replaceAll('-', '');
    const [a, b, other] = [`subre-a${tag}-1`, `subre-b${tag}-1`, `subre-c${tag}-1`];
    const before = await lastPositionInAll(client);
    await client.appendToStream(a, testEvents(1));
    await client.appendToStream(other, testEvents(1));
    await client.appendToStream(b, testEvents(1));
    const filter = streamNameFilter({ regex: `^subre-[ab]${tag}-` });
    const received = await takeUntil(client.subscribeToAll({ fromPosition: before, filter }), (events) => events.length === 2);
    expect(received.map((e) => e.event!.streamId)).toEqual([a, b]);
  });

  it('an event-type prefix filter delivers only the event types it matches', async () => {
    const stream = uniqueStreamName('sub-all-type');
    const type = `Typed${randomUUID().replaceAll('-', '')}`;
    const before = await lastPositionInAll(client);
    await client.appendToStream(stream, [...testEvents(1, `${type}Opened`), ...testEvents(1, 'Unrelated'), ...testEvents(1, `${type}Closed`)]);
    const filter = eventTypeFilter({ prefixes: [type] });
    const received = await takeUntil(client.subscribeToAll({ fromPosition: before, filter }), (events) => events.length === 2);
    expect(received.map((e) => e.event!.type)).toEqual([`${type}Opened`, `${type}Closed`]);
  });

  it('an event-type regex filter matches anywhere in the type unless anchored', async () => {
    const stream = uniqueStreamName('sub-all-type-regex');
    const tag = randomUUID().replaceAll('-', '');
    const before = await lastPositionInAll(client);
    await client.appendToStream(stream, [...testEvents(1, `Money${tag}Deposited`), ...testEvents(1, `Account${tag}Opened`)]);
    const filter = eventTypeFilter({ regex: `${tag}Dep` });
    const [received] = await takeUntil(client.subscribeToAll({ fromPosition: before, filter }), (events) => events.length === 1);
    expect(received!.event!.type).toBe(`Money${tag}Deposited`);
  });

  it('excludeSystemEvents leaves out $-typed events such as stream metadata', async () => {
    const stream = uniqueStreamName('sub-all-no-system');
    const before = await lastPositionInAll(client);
    await client.setStreamMetadata(stream, { maxCount: 3 });
    const events = testEvents(2);
    await client.appendToStream(stream, events);
    const received = await takeUntil(
      client.subscribeToAll({ fromPosition: before, filter: excludeSystemEvents() }),
      (seen) => idsOf(seen).includes(events[1]!.id),
    );
    expect(received.some((e) => e.event!.type.startsWith('$'))).toBe(false);
    expect(received.filter((e) => e.event!.streamId === stream).map((e) => e.event!.id)).toEqual(events.map((e) => e.id));
  });

  it('a filtered subscription reports checkpoints while it searches past events that do not match', async () => {
    const watched = uniqueStreamName('sub-all-checkpoint');
    const noise = uniqueStreamName('sub-all-noise');
    const before = await lastPositionInAll(client);
    await client.appendToStream(noise, testEvents(100));
    const last = await client.appendToStream(watched, testEvents(1));
    const checkpoints: Position[] = [];
    const filter = streamNameFilter({ prefixes: [watched], checkpointReached: (_sub, position) => void checkpoints.push(position) });
    await takeUntil(client.subscribeToAll({ fromPosition: before, filter }), (events) => events.length === 1);
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const checkpoint of checkpoints) {
      expect(checkpoint.commit).toBeGreaterThan(before.commit);
      expect(checkpoint.commit).toBeLessThanOrEqual(last.position!.commit);
    }
  });

  it('with a filter, delivers every matching event exactly once while writers append across the history/live switch', async () => {
    const prefix = uniqueStreamName('sub-all-race');
    const streams = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    const perStream = 100;
    const before = await lastPositionInAll(client);
    const writing = Promise.all(streams.map((stream) => appendOneByOne(client, stream, perStream)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const received = await takeUntil(
      client.subscribeToAll({ fromPosition: before, filter: streamNameFilter({ prefixes: [prefix] }) }),
      (events) => events.length >= streams.length * perStream,
    );
    await writing;
    for (const stream of streams) {
      const revisions = received.filter((e) => e.event!.streamId === stream).map((e) => e.event!.revision);
      expect(revisions).toEqual(Array.from({ length: perStream }, (_, i) => BigInt(i)));
    }
    const positions = received.map((e) => e.event!.position);
    expect(positions.every((position, i) => i === 0 || comparePositions(position, positions[i - 1]!) > 0)).toBe(true);
  });
});
