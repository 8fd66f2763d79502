// Appending with each expected-revision mode, through BatchAppend and through the plain Append RPC.
import {
  ANY,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { APPEND_PATHS, collect, rejectionOf, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();

describe.each(APPEND_PATHS)('appending through %s', (_path, options) => {
  const append = (stream: string, count: number, expectedRevision: typeof ANY | typeof NO_STREAM | typeof STREAM_EXISTS | bigint) =>
    client.appendToStream(stream, testEvents(count), { ...options, expectedRevision });

  it('appending 3 events to a new stream with expected revision any returns revision 2 and a log position', async () => {
    const stream = uniqueStreamName('append-any');
    const result = await append(stream, 3, ANY);
    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(2n);
    expect(result.position!.commit).toBeGreaterThan(0n);
    expect(result.position!.prepare).toBeLessThanOrEqual(result.position!.commit);
    const read = await collect(client.readStream(stream));
    expect(read.map((e) => e.event!.revision)).toEqual([0n, 1n, 2n]);
  });

  it('appending with expected revision any to an existing stream continues its revisions', async () => {
    const stream = uniqueStreamName('append-any');
    await append(stream, 2, NO_STREAM);
    expect((await append(stream, 1, ANY)).nextExpectedRevision).toBe(2n);
  });

  it('appending with expected revision no_stream creates the stream', async () => {
    const stream = uniqueStreamName('append-no-stream');
    expect((await append(stream, 1, NO_STREAM)).nextExpectedRevision).toBe(0n);
  });

  it('appending with expected revision no_stream to an existing stream fails with WrongExpectedVersionError', async () => {
    const stream = uniqueStreamName('append-no-stream');
    await append(stream, 2, NO_STREAM);
    const error = await rejectionOf(append(stream, 1, NO_STREAM));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: NO_STREAM, actualVersion: 1n });
  });

  it('appending with expected revision stream_exists to an existing stream succeeds', async () => {
    const stream = uniqueStreamName('append-exists');
    await append(stream, 2, NO_STREAM);
    expect((await append(stream, 1, STREAM_EXISTS)).nextExpectedRevision).toBe(2n);
  });

  it('appending with expected revision stream_exists to a missing stream fails with WrongExpectedVersionError carrying no_stream', async () => {
    const stream = uniqueStreamName('append-exists');
    const error = await rejectionOf(append(stream, 1, STREAM_EXISTS));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: STREAM_EXISTS, actualVersion: NO_STREAM });
  });

  it('appending with expected revision stream_exists to a stream that only has metadata succeeds', async () => {
    const stream = uniqueStreamName('append-exists');
    await client.setStreamMetadata(stream, { maxCount: 10 });
    expect((await append(stream, 1, STREAM_EXISTS)).nextExpectedRevision).toBe(0n);
  });

  it('appending with expected revision stream_exists to a soft-deleted stream fails with StreamDeletedError', async () => {
    const stream = uniqueStreamName('append-exists');
    await append(stream, 1, NO_STREAM);
    await client.deleteStream(stream);
    expect(await rejectionOf(append(stream, 1, STREAM_EXISTS))).toBeInstanceOf(StreamDeletedError);
  });

  it('appending with the exact current revision succeeds', async () => {
    const stream = uniqueStreamName('append-exact');
    const first = await append(stream, 6, NO_STREAM);
    expect((await append(stream, 1, first.nextExpectedRevision)).nextExpectedRevision).toBe(6n);
  });

  it('appending with expected revision 3 to a stream at revision 5 fails with WrongExpectedVersionError carrying expected 3 and actual 5', async () => {
    const stream = uniqueStreamName('append-exact');
    await append(stream, 6, NO_STREAM);
    const error = await rejectionOf(append(stream, 1, 3n));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 3n, actualVersion: 5n });
  });

  it('appending with expected revision 999 to a stream at revision 0 fails with expected 999 and actual 0', async () => {
    const stream = uniqueStreamName('append-exact');
    await append(stream, 1, NO_STREAM);
    expect(await rejectionOf(append(stream, 1, 999n))).toMatchObject({ expectedVersion: 999n, actualVersion: 0n });
  });

  it('appending with expected revision 1 to a missing stream fails with actual no_stream', async () => {
    const stream = uniqueStreamName('append-exact');
    const error = await rejectionOf(append(stream, 1, 1n));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expectedVersion: 1n, actualVersion: NO_STREAM });
  });

  it('appending to a tombstoned stream fails with StreamDeletedError whatever the expected revision', async () => {
    const stream = uniqueStreamName('append-tombstoned');
    await client.tombstoneStream(stream, { expectedRevision: NO_STREAM });
    for (const expected of [ANY, NO_STREAM, STREAM_EXISTS, 5n] as const) {
      const error = await rejectionOf(append(stream, 1, expected));
      expect(error).toBeInstanceOf(StreamDeletedError);
      expect(error).toMatchObject({ streamName: stream });
    }
  });

  it('appending more than the 1 MiB maximum append size fails with MaxAppendSizeExceededError and writes nothing', async () => {
    const stream = uniqueStreamName('append-too-big');
    const big = Array.from({ length: 3 }, () => jsonEvent({ type: 'Big', data: { text: 'x'.repeat(400 * 1024) } }));
    const error = await rejectionOf(client.appendToStream(stream, big, options));
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(error).toMatchObject({ maxAppendSize: 1024 * 1024 });
    expect(await rejectionOf(collect(client.readStream(stream)))).toMatchObject({ type: 'stream-not-found' });
  });

  it('appending just under the maximum append size succeeds', async () => {
    const stream = uniqueStreamName('append-big');
    const big = Array.from({ length: 2 }, () => jsonEvent({ type: 'Big', data: { text: 'x'.repeat(400 * 1024) } }));
    expect((await client.appendToStream(stream, big, options)).nextExpectedRevision).toBe(1n);
  });

  it('appending no events to a missing stream writes nothing and the stream stays not found', async () => {
    const stream = uniqueStreamName('append-empty');
    const result = await client.appendToStream(stream, [], { ...options, expectedRevision: NO_STREAM });
    expect(result.success).toBe(true);
    expect(await rejectionOf(collect(client.readStream(stream)))).toMatchObject({ type: 'stream-not-found' });
  });

  it('events keep their id, type, content type, data and metadata', async () => {
    const stream = uniqueStreamName('append-shape');
    const event = jsonEvent({ type: 'Shaped', data: { text: 'CC ‐ 1830', n: 1 }, metadata: { $correlationId: 'c-1' } });
    await client.appendToStream(stream, event, options);
    const [read] = await collect(client.readStream(stream));
    expect(read!.event).toMatchObject({
      id: event.id,
      type: 'Shaped',
      isJson: true,
      data: { text: 'CC ‐ 1830', n: 1 },
      metadata: { $correlationId: 'c-1' },
      streamId: stream,
      revision: 0n,
    });
    expect(Math.abs(read!.event!.created.getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe('concurrent appends', () => {
  it('50 concurrent appends with the same expected revision: exactly one wins, the others get WrongExpectedVersionError', async () => {
    const stream = uniqueStreamName('append-race');
    await client.appendToStream(stream, testEvents(1), { expectedRevision: NO_STREAM });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => client.appendToStream(stream, testEvents(1), { expectedRevision: 0n })),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const error of losers) expect(error).toMatchObject({ type: 'wrong-expected-version', expectedVersion: 0n, actualVersion: 1n });
    expect(await collect(client.readStream(stream))).toHaveLength(2);
  });

  it('50 concurrent appends with expected revision any all land, each with its own revision', async () => {
    const stream = uniqueStreamName('append-any-race');
    const results = await Promise.all(Array.from({ length: 50 }, () => client.appendToStream(stream, testEvents(1))));
    const revisions = results.map((r) => r.nextExpectedRevision).sort((a, b) => (a < b ? -1 : 1));
    expect(revisions).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)));
  });
});
