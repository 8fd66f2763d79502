// Reading one stream forwards and backwards, from start, end or a revision, with maxCount.
import { BACKWARDS, END, FORWARDS, START, StreamNotFoundError, binaryEvent, jsonEvent } from '@eventstore/db-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { collect, rejectionOf, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();
const stream = uniqueStreamName('read-stream');

beforeAll(async () => {
  await client.appendToStream(stream, testEvents(10));
});

const revisions = async (options: Parameters<typeof client.readStream>[1]) =>
  (await collect(client.readStream(stream, options))).map((e) => e.event!.revision);
const range = (from: number, to: number) =>
  Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => BigInt(from <= to ? from + i : from - i));

describe('reading a stream', () => {
  it('forwards from start returns every event in revision order', async () => {
    expect(await revisions({ direction: FORWARDS, fromRevision: START })).toEqual(range(0, 9));
  });

  it('forwards from revision 4 with maxCount 3 returns revisions 4, 5, 6', async () => {
    expect(await revisions({ fromRevision: 4n, maxCount: 3 })).toEqual(range(4, 6));
  });

  it('forwards from end returns nothing', async () => {
    expect(await revisions({ fromRevision: END })).toEqual([]);
  });

  it('forwards from a revision past the end returns nothing', async () => {
    expect(await revisions({ fromRevision: 50n })).toEqual([]);
  });

  it('backwards from end returns every event newest first', async () => {
    expect(await revisions({ direction: BACKWARDS, fromRevision: END })).toEqual(range(9, 0));
  });

  it('backwards from revision 5 with maxCount 3 returns revisions 5, 4, 3', async () => {
    expect(await revisions({ direction: BACKWARDS, fromRevision: 5n, maxCount: 3 })).toEqual(range(5, 3));
  });

  it('backwards from start returns only revision 0', async () => {
    expect(await revisions({ direction: BACKWARDS, fromRevision: START })).toEqual([0n]);
  });

  it('backwards from a revision past the end starts at the last event', async () => {
    expect(await revisions({ direction: BACKWARDS, fromRevision: 50n, maxCount: 2 })).toEqual(range(9, 8));
  });

  it('each event carries its stream name and revision', async () => {
    const events = await collect(client.readStream(stream, { fromRevision: 7n }));
    expect(events.map((e) => [e.event!.streamId, e.event!.revision])).toEqual([
      [stream, 7n],
      [stream, 8n],
      [stream, 9n],
    ]);
  });

  it('reading a stream that does not exist fails with StreamNotFoundError naming it', async () => {
    const missing = uniqueStreamName('read-missing');
    const error = await rejectionOf(collect(client.readStream(missing)));
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect(error).toMatchObject({ streamName: missing });
    expect(await rejectionOf(collect(client.readStream(missing, { direction: BACKWARDS, fromRevision: END })))).toBeInstanceOf(
      StreamNotFoundError,
    );
  });

  it('binary events come back as bytes and JSON events as parsed objects', async () => {
    const mixed = uniqueStreamName('read-mixed');
    await client.appendToStream(mixed, [
      binaryEvent({ type: 'Binary', data: Buffer.from([1, 2, 3]), metadata: Buffer.from('meta') }),
      jsonEvent({ type: 'Json', data: { a: 1 } }),
    ]);
    const [binary, json] = await collect(client.readStream(mixed));
    expect(binary!.event!.isJson).toBe(false);
    expect(Buffer.from(binary!.event!.data as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from(binary!.event!.metadata as Uint8Array).toString()).toBe('meta');
    expect(json!.event).toMatchObject({ isJson: true, data: { a: 1 }, type: 'Json' });
  });
});

describe('link events', () => {
  it('with resolveLinkTos a link ($>, "rev@stream") reads as the event it points to, the link alongside', async () => {
    const target = uniqueStreamName('link-target');
    const links = uniqueStreamName('link-source');
    await client.appendToStream(target, testEvents(3));
    await client.appendToStream(links, binaryEvent({ type: '$>', data: Buffer.from(`2@${target}`) }));
    const [original] = await collect(client.readStream(target, { fromRevision: 2n, maxCount: 1 }));
    const [resolved] = await collect(client.readStream(links, { resolveLinkTos: true }));
    expect(resolved!.event).toEqual(original!.event);
    expect(resolved!.link).toMatchObject({ type: '$>', streamId: links, revision: 0n });
  });

  it('without resolveLinkTos the link event itself is returned', async () => {
    const target = uniqueStreamName('link-target');
    const links = uniqueStreamName('link-source');
    await client.appendToStream(target, testEvents(1));
    await client.appendToStream(links, binaryEvent({ type: '$>', data: Buffer.from(`0@${target}`) }));
    const [unresolved] = await collect(client.readStream(links));
    expect(unresolved!.event).toMatchObject({ type: '$>', streamId: links });
    expect(unresolved!.link).toBeUndefined();
    expect(Buffer.from(unresolved!.event!.data as Uint8Array).toString()).toBe(`0@${target}`);
  });

  it('a link to a deleted event resolves to the link alone', async () => {
    const target = uniqueStreamName('link-target');
    const links = uniqueStreamName('link-source');
    await client.appendToStream(target, testEvents(1));
    await client.appendToStream(links, binaryEvent({ type: '$>', data: Buffer.from(`0@${target}`) }));
    await client.deleteStream(target);
    const [resolved] = await collect(client.readStream(links, { resolveLinkTos: true }));
    expect(resolved!.event).toBeUndefined();
    expect(resolved!.link).toMatchObject({ type: '$>', streamId: links });
  });
});
