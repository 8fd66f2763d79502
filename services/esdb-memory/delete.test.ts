// Soft delete: the stream reads as not found and can be recreated; its revisions continue.
import { ANY, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { collect, lastPositionInAll, rejectionOf, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();

describe('soft delete', () => {
  it('reading a soft-deleted stream fails with StreamNotFoundError, forwards and backwards', async () => {
    const stream = uniqueStreamName('soft-deleted');
    await client.appendToStream(stream, testEvents(4));
    const result = await client.deleteStream(stream);
    expect(result.position!.commit).toBeGreaterThan(0n);
    const forwards = await rejectionOf(collect(client.readStream(stream)));
    expect(forwards).toBeInstanceOf(StreamNotFoundError);
    expect(forwards).toMatchObject({ streamName: stream });
    expect(await rejectionOf(collect(client.readStream(stream, { direction: 'backwards', fromRevision: 'end' })))).toBeInstanceOf(
      StreamNotFoundError,
    );
  });

  it('soft-deleting with the exact last revision succeeds', async () => {
    const stream = uniqueStreamName('soft-deleted');
    const { nextExpectedRevision } = await client.appendToStream(stream, testEvents(4));
    await client.deleteStream(stream, { expectedRevision: nextExpectedRevision });
    expect(await rejectionOf(collect(client.readStream(stream)))).toBeInstanceOf(StreamNotFoundError);
  });

  it('soft-deleting with expected revision 2 a stream at revision 3 fails with WrongExpectedVersionError carrying 2 and 3', async () => {
    const stream = uniqueStreamName('soft-delete-wrong');
    await client.appendToStream(stream, testEvents(4));
    const error = await rejectionOf(client.deleteStream(stream, { expectedRevision: 2n }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 2n, actualVersion: 3n });
    expect(await collect(client.readStream(stream))).toHaveLength(4);
  });

  it('soft-deleting an existing stream with expected revision no_stream fails with WrongExpectedVersionError', async () => {
    const stream = uniqueStreamName('soft-delete-wrong');
    await client.appendToStream(stream, testEvents(1));
    const error = await rejectionOf(client.deleteStream(stream, { expectedRevision: NO_STREAM }));
    expect(error).toMatchObject({ type: 'wrong-expected-version', streamName: stream, expectedVersion: -1n, actualVersion: 0n });
  });

  it('soft-deleting a stream that never existed fails with WrongExpectedVersionError, actual version -1', async () => {
    for (const expectedRevision of [ANY, NO_STREAM] as const) {
      const stream = uniqueStreamName('soft-delete-missing');
      const error = await rejectionOf(client.deleteStream(stream, { expectedRevision }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, actualVersion: -1n });
    }
  });

  it('soft-deleting a stream that only has metadata with expected revision no_stream succeeds', async () => {
    const stream = uniqueStreamName('soft-delete-meta-only');
    await client.setStreamMetadata(stream, { cacheControl: 10 });
    expect(await client.deleteStream(stream, { expectedRevision: NO_STREAM })).toBeDefined();
  });

  it('soft-deleting sets $tb to the deleted-stream marker and keeps the other metadata', async () => {
    const stream = uniqueStreamName('soft-delete-meta');
    await client.appendToStream(stream, testEvents(2));
    await client.setStreamMetadata(stream, { maxCount: 100, owner: 'ops' });
    await client.deleteStream(stream);
    const { metadata } = await client.getStreamMetadata(stream);
    expect(metadata).toMatchObject({ maxCount: 100, owner: 'ops' });
    expect(metadata!.truncateBefore).toBeGreaterThanOrEqual(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['any', ANY],
    ['no_stream', NO_STREAM],
  ] as const)('appending with expected revision %s recreates a soft-deleted stream, revisions continuing, $tb at the first new one', async (_name, expectedRevision) => {
    const stream = uniqueStreamName('soft-recreate');
    await client.appendToStream(stream, testEvents(2), { expectedRevision: NO_STREAM });
    await client.deleteStream(stream, { expectedRevision: 1n });
    const events = testEvents(3);
    const result = await client.appendToStream(stream, events, { expectedRevision });
    expect(result.nextExpectedRevision).toBe(4n);
    const read = await collect(client.readStream(stream));
    expect(read.map((e) => e.event!.revision)).toEqual([2n, 3n, 4n]);
    expect(read.map((e) => e.event!.id)).toEqual(events.map((e) => e.id));
    expect((await client.getStreamMetadata(stream)).metadata).toEqual({ truncateBefore: 2 });
  });

  it('appending with the last revision before the delete recreates the stream', async () => {
    const stream = uniqueStreamName('soft-recreate');
    await client.appendToStream(stream, testEvents(1), { expectedRevision: NO_STREAM });
    await client.deleteStream(stream, { expectedRevision: 0n });
    expect((await client.appendToStream(stream, testEvents(3), { expectedRevision: 0n })).nextExpectedRevision).toBe(3n);
  });

  it('only the first write after a soft delete may use no_stream', async () => {
    const stream = uniqueStreamName('soft-recreate');
    await client.appendToStream(stream, testEvents(2), { expectedRevision: NO_STREAM });
    await client.deleteStream(stream);
    await client.appendToStream(stream, testEvents(3), { expectedRevision: NO_STREAM });
    const error = await rejectionOf(client.appendToStream(stream, testEvents(1), { expectedRevision: NO_STREAM }));
    expect(error).toMatchObject({ type: 'wrong-expected-version', actualVersion: 4n });
  });

  it('setting metadata on a soft-deleted stream undeletes it empty: old events stay hidden', async () => {
    const stream = uniqueStreamName('soft-undelete-meta');
    await client.appendToStream(stream, testEvents(2), { expectedRevision: NO_STREAM });
    await client.deleteStream(stream, { expectedRevision: 1n });
    const result = await client.setStreamMetadata(stream, { maxCount: 100 }, { expectedRevision: 0n });
    expect(result.nextExpectedRevision).toBe(1n);
    expect(await collect(client.readStream(stream))).toEqual([]);
    expect((await client.getStreamMetadata(stream)).metadata).toEqual({ maxCount: 100, truncateBefore: 2 });
  });

  it('the events of a soft-deleted stream stay in $all', async () => {
    const stream = uniqueStreamName('soft-in-all');
    const before = await lastPositionInAll(client);
    const events = testEvents(2);
    await client.appendToStream(stream, events);
    await client.deleteStream(stream);
    const inAll = await collect(client.readAll({ fromPosition: before, maxCount: 1000 }));
    expect(inAll.filter((e) => e.event!.streamId === stream).map((e) => e.event!.id)).toEqual(events.map((e) => e.id));
  });
});
