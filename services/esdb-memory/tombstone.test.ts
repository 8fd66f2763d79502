// Tombstone (hard delete): the stream is gone for good; reads, appends and metadata fail with StreamDeletedError.
import { ANY, NO_STREAM, StreamDeletedError, WrongExpectedVersionError } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { collect, rejectionOf, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();

const tombstoned = async (prefix: string): Promise<string> => {
  const stream = uniqueStreamName(prefix);
  await client.appendToStream(stream, testEvents(2));
  await client.tombstoneStream(stream);
  return stream;
};

describe('tombstone', () => {
  it('reading a tombstoned stream fails with StreamDeletedError naming the stream', async () => {
    const stream = await tombstoned('tombstone-read');
    const error = await rejectionOf(collect(client.readStream(stream)));
    expect(error).toBeInstanceOf(StreamDeletedError);
    expect(error).toMatchObject({ streamName: stream });
    expect(await rejectionOf(collect(client.readStream(stream, { direction: 'backwards', fromRevision: 'end' })))).toBeInstanceOf(
      StreamDeletedError,
    );
  });

  it('a tombstoned stream cannot be recreated: appending fails with StreamDeletedError', async () => {
    const stream = await tombstoned('tombstone-append');
    const error = await rejectionOf(client.appendToStream(stream, testEvents(1), { expectedRevision: NO_STREAM }));
    expect(error).toBeInstanceOf(StreamDeletedError);
  });

  it('tombstoning or soft-deleting a tombstoned stream again fails with StreamDeletedError', async () => {
    const stream = await tombstoned('tombstone-twice');
    expect(await rejectionOf(client.tombstoneStream(stream))).toBeInstanceOf(StreamDeletedError);
    expect(await rejectionOf(client.deleteStream(stream))).toBeInstanceOf(StreamDeletedError);
  });

  it('the metadata of a tombstoned stream cannot be read or written: StreamDeletedError on its metastream', async () => {
    const stream = await tombstoned('tombstone-meta');
    const read = await rejectionOf(client.getStreamMetadata(stream));
    expect(read).toBeInstanceOf(StreamDeletedError);
    expect(read).toMatchObject({ streamName: `$$${stream}` });
    expect(await rejectionOf(client.setStreamMetadata(stream, { maxCount: 1 }))).toBeInstanceOf(StreamDeletedError);
  });

  it('tombstoning a stream that does not exist with expected revision any or no_stream succeeds', async () => {
    for (const expectedRevision of [ANY, NO_STREAM] as const) {
      const stream = uniqueStreamName('tombstone-missing');
      const result = await client.tombstoneStream(stream, { expectedRevision });
      expect(result.position!.commit).toBeGreaterThan(0n);
      expect(await rejectionOf(collect(client.readStream(stream)))).toBeInstanceOf(StreamDeletedError);
    }
  });

  it('tombstoning with expected revision 5 a stream at revision 1 fails with WrongExpectedVersionError and deletes nothing', async () => {
    const stream = uniqueStreamName('tombstone-wrong');
    await client.appendToStream(stream, testEvents(2));
    const error = await rejectionOf(client.tombstoneStream(stream, { expectedRevision: 5n }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 5n, actualVersion: 1n });
    expect(await collect(client.readStream(stream))).toHaveLength(2);
  });

  it('a soft-deleted stream can still be tombstoned', async () => {
    const stream = uniqueStreamName('tombstone-after-soft');
    await client.appendToStream(stream, testEvents(2));
    await client.deleteStream(stream, { expectedRevision: 1n });
    await client.tombstoneStream(stream);
    expect(await rejectionOf(collect(client.readStream(stream)))).toBeInstanceOf(StreamDeletedError);
  });
});
