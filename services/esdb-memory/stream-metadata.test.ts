// Stream metadata lives in the metastream `$$<stream>`; reads honour $maxCount, $maxAge and $tb.
import { BACKWARDS, END, NO_STREAM, WrongExpectedVersionError } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { collect, rejectionOf, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();
const revisionsOf = async (stream: string, options: Parameters<typeof client.readStream>[1] = {}) =>
  (await collect(client.readStream(stream, options))).map((e) => e.event!.revision);

describe('stream metadata', () => {
  it('setStreamMetadata then getStreamMetadata round-trips maxCount, maxAge, truncateBefore, cacheControl, acl and custom fields', async () => {
    const stream = uniqueStreamName('meta-roundtrip');
    const metadata = {
      maxCount: 10,
      maxAge: 3600,
      truncateBefore: 2,
      cacheControl: 60,
      acl: { readRoles: ['$admins'], writeRoles: ['ops'] },
      owner: 'ledger',
      nested: { a: [1, 2] },
    };
    const result = await client.setStreamMetadata(stream, metadata);
    expect(result.nextExpectedRevision).toBe(0n);
    const read = await client.getStreamMetadata(stream);
    expect(read.streamName).toBe(stream);
    expect(read.metadata).toEqual(metadata);
  });

  it('getStreamMetadata of a stream without metadata returns no metadata', async () => {
    const stream = uniqueStreamName('meta-none');
    await client.appendToStream(stream, testEvents(1));
    expect((await client.getStreamMetadata(stream)).metadata).toBeUndefined();
  });

  it('the latest metadata wins, and the metastream keeps only its latest event', async () => {
    const stream = uniqueStreamName('meta-latest');
    await client.setStreamMetadata(stream, { maxCount: 1 });
    const second = await client.setStreamMetadata(stream, { maxCount: 2 });
    expect(second.nextExpectedRevision).toBe(1n);
    expect((await client.getStreamMetadata(stream)).metadata).toEqual({ maxCount: 2 });
    const metastream = await collect(client.readStream(`$$${stream}`));
    expect(metastream.map((e) => [e.event!.revision, e.event!.type])).toEqual([[1n, '$metadata']]);
  });

  it('setting metadata with a wrong expected metastream revision fails with WrongExpectedVersionError', async () => {
    const stream = uniqueStreamName('meta-wrong');
    await client.setStreamMetadata(stream, { maxCount: 1 });
    const error = await rejectionOf(client.setStreamMetadata(stream, { maxCount: 2 }, { expectedRevision: NO_STREAM }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: `$$${stream}`, actualVersion: 0n });
  });

  it('reads honour $maxCount: only the last N events are visible, forwards and backwards', async () => {
    const stream = uniqueStreamName('meta-max-count');
    await client.appendToStream(stream, testEvents(5));
    await client.setStreamMetadata(stream, { maxCount: 2 });
    expect(await revisionsOf(stream)).toEqual([3n, 4n]);
    expect(await revisionsOf(stream, { direction: BACKWARDS, fromRevision: END })).toEqual([4n, 3n]);
    expect(await revisionsOf(stream, { fromRevision: 1n, maxCount: 1 })).toEqual([3n]);
  });

  it('$maxCount applies to events appended later too', async () => {
    const stream = uniqueStreamName('meta-max-count');
    await client.setStreamMetadata(stream, { maxCount: 3 });
    await client.appendToStream(stream, testEvents(5));
    expect(await revisionsOf(stream)).toEqual([2n, 3n, 4n]);
  });

  it('reads honour $tb: events before truncateBefore are hidden', async () => {
    const stream = uniqueStreamName('meta-tb');
    await client.appendToStream(stream, testEvents(5));
    await client.setStreamMetadata(stream, { truncateBefore: 3 });
    expect(await revisionsOf(stream)).toEqual([3n, 4n]);
    expect(await revisionsOf(stream, { direction: BACKWARDS, fromRevision: END })).toEqual([4n, 3n]);
  });

  it('a $tb beyond the last event makes the stream read as empty, not as not found', async () => {
    const stream = uniqueStreamName('meta-tb');
    await client.appendToStream(stream, testEvents(2));
    await client.setStreamMetadata(stream, { truncateBefore: 10 });
    expect(await revisionsOf(stream)).toEqual([]);
    expect((await client.appendToStream(stream, testEvents(1), { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
  });

  it('a generous $maxAge hides nothing that was just written', async () => {
    const stream = uniqueStreamName('meta-max-age');
    await client.appendToStream(stream, testEvents(3));
    await client.setStreamMetadata(stream, { maxAge: 3600 });
    expect(await revisionsOf(stream)).toEqual([0n, 1n, 2n]);
  });

  it('truncated events still count for expected revisions', async () => {
    const stream = uniqueStreamName('meta-truncated-append');
    await client.appendToStream(stream, testEvents(5));
    await client.setStreamMetadata(stream, { maxCount: 1 });
    const error = await rejectionOf(client.appendToStream(stream, testEvents(1), { expectedRevision: 0n }));
    expect(error).toMatchObject({ type: 'wrong-expected-version', actualVersion: 4n });
  });
});
