// Reading `$all` forwards and backwards from start, end or a position. `$all` is shared with every
// other test (and, against a real server, with its history), so each test looks only at its own streams.
import { BACKWARDS, END, FORWARDS, START, binaryEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { collect, comparePositions, lastPositionInAll, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();

describe('reading $all', () => {
  it('forwards from a position includes the event at that position, then later events in commit order', async () => {
    const stream = uniqueStreamName('all-forwards');
    const before = await lastPositionInAll(client);
    const events = testEvents(5);
    await client.appendToStream(stream, events);
    const read = await collect(client.readAll({ direction: FORWARDS, fromPosition: before, maxCount: 1000 }));
    expect(read[0]!.event!.position).toEqual(before);
    const mine = read.filter((e) => e.event!.streamId === stream);
    expect(mine.map((e) => e.event!.id)).toEqual(events.map((e) => e.id));
    expect(mine.map((e) => e.event!.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('positions grow strictly along $all and prepare never exceeds commit', async () => {
    const stream = uniqueStreamName('all-positions');
    const before = await lastPositionInAll(client);
    await client.appendToStream(stream, testEvents(5));
    const read = await collect(client.readAll({ fromPosition: before, maxCount: 50 }));
    const positions = read.map((e) => e.event!.position);
    for (const [i, position] of positions.entries()) {
      expect(position.prepare).toBeLessThanOrEqual(position.commit);
      if (i > 0) expect(comparePositions(position, positions[i - 1]!)).toBeGreaterThan(0);
    }
  });

  it('backwards from end starts with the newest event', async () => {
    const stream = uniqueStreamName('all-backwards');
    const events = testEvents(3);
    await client.appendToStream(stream, events);
    const read = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1000 }));
    const mine = read.filter((e) => e.event!.streamId === stream);
    expect(mine.map((e) => e.event!.id)).toEqual(events.map((e) => e.id).reverse());
    const positions = read.map((e) => e.event!.position);
    expect(positions.every((position, i) => i === 0 || comparePositions(position, positions[i - 1]!) < 0)).toBe(true);
  });

  it('backwards from a position returns the events before it, not the one at it', async () => {
    const stream = uniqueStreamName('all-backwards-position');
    await client.appendToStream(stream, testEvents(3));
    const [, second, third] = await collect(client.readStream(stream));
    const [previous] = await collect(client.readAll({ direction: BACKWARDS, fromPosition: third!.event!.position!, maxCount: 1 }));
    expect(previous!.event!.id).toBe(second!.event!.id);
  });

  it('maxCount limits how many events come back', async () => {
    expect(await collect(client.readAll({ maxCount: 2 }))).toHaveLength(2);
    expect(await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 3 }))).toHaveLength(3);
  });

  it('forwards from start begins with the system events a node writes before any client connects', async () => {
    const [first] = await collect(client.readAll({ fromPosition: START, maxCount: 1 }));
    expect(first!.event!.streamId.startsWith('$')).toBe(true);
    expect(first!.event!.type.startsWith('$')).toBe(true);
  });

  it('backwards from start returns nothing', async () => {
    expect(await collect(client.readAll({ direction: BACKWARDS, fromPosition: START, maxCount: 10 }))).toEqual([]);
  });

  it('forwards from end returns nothing', async () => {
    expect(await collect(client.readAll({ fromPosition: END, maxCount: 10 }))).toEqual([]);
  });

  it('metadata and tombstone records appear in $all like other events', async () => {
    const stream = uniqueStreamName('all-system-records');
    const before = await lastPositionInAll(client);
    await client.appendToStream(stream, testEvents(1));
    await client.setStreamMetadata(stream, { maxCount: 5 });
    const read = await collect(client.readAll({ fromPosition: before, maxCount: 1000 }));
    const metadata = read.find((e) => e.event!.streamId === `$$${stream}`);
    expect(metadata!.event).toMatchObject({ type: '$metadata', revision: 0n, isJson: true, data: { $maxCount: 5 } });
  });

  it('with resolveLinkTos a link event in $all resolves to its target, the link alongside', async () => {
    const target = uniqueStreamName('all-link-target');
    const links = uniqueStreamName('all-link-source');
    await client.appendToStream(target, testEvents(2));
    const { position } = await client.appendToStream(links, binaryEvent({ type: '$>', data: Buffer.from(`1@${target}`) }));
    const [resolved] = await collect(client.readAll({ fromPosition: position!, maxCount: 1, resolveLinkTos: true }));
    expect(resolved!.event).toMatchObject({ streamId: target, revision: 1n });
    expect(resolved!.link).toMatchObject({ streamId: links, type: '$>' });
    const [unresolved] = await collect(client.readAll({ fromPosition: position!, maxCount: 1 }));
    expect(unresolved!.event).toMatchObject({ streamId: links, type: '$>' });
    expect(unresolved!.link).toBeUndefined();
  });
});
