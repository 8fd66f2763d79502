// Idempotent appends: EventStoreDB recognises a retried write by its event ids and acknowledges it again
// without writing anything.
import { ANY, NO_STREAM, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { APPEND_PATHS, collect, rejectionOf, testEvents } from './fidelity-support.ts';

const client = newEsdbClient();
const revisionsOf = async (stream: string) => (await collect(client.readStream(stream))).map((e) => e.event!.revision);

describe.each(APPEND_PATHS)('idempotent appends through %s', (_path, options) => {
  it('retrying the same events at the same expected revision appends nothing and returns the same revision', async () => {
    const stream = uniqueStreamName('idem-exact');
    await client.appendToStream(stream, testEvents(2), { ...options, expectedRevision: NO_STREAM });
    const events = testEvents(3);
    const first = await client.appendToStream(stream, events, { ...options, expectedRevision: 1n });
    const retry = await client.appendToStream(stream, events, { ...options, expectedRevision: 1n });
    expect(first.nextExpectedRevision).toBe(4n);
    expect(retry.nextExpectedRevision).toBe(4n);
    expect(await revisionsOf(stream)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('retrying the same events with expected revision no_stream appends nothing', async () => {
    const stream = uniqueStreamName('idem-no-stream');
    const events = testEvents(3);
    await client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM });
    const retry = await client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM });
    expect(retry.nextExpectedRevision).toBe(2n);
    expect(await revisionsOf(stream)).toHaveLength(3);
  });

  it('retrying the same events with expected revision any appends nothing, even after later writes', async () => {
    const stream = uniqueStreamName('idem-any');
    const events = testEvents(4);
    await client.appendToStream(stream, events, { ...options, expectedRevision: ANY });
    await client.appendToStream(stream, testEvents(1), { ...options, expectedRevision: ANY });
    const retry = await client.appendToStream(stream, events, { ...options, expectedRevision: ANY });
    expect(retry.nextExpectedRevision).toBe(3n);
    expect(await revisionsOf(stream)).toHaveLength(5);
  });

  it('retrying at an old expected revision after later writes is still recognised as a retry', async () => {
    const stream = uniqueStreamName('idem-old');
    const events = testEvents(2);
    await client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM });
    await client.appendToStream(stream, testEvents(2), { ...options, expectedRevision: 1n });
    const retry = await client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM });
    expect(retry.nextExpectedRevision).toBe(1n);
    expect(await revisionsOf(stream)).toHaveLength(4);
  });

  it('a retry whose events only partly match what was written at that revision fails with WrongExpectedVersionError', async () => {
    const stream = uniqueStreamName('idem-partial');
    const events = testEvents(3);
    await client.appendToStream(stream, events.slice(0, 2), { ...options, expectedRevision: NO_STREAM });
    const error = await rejectionOf(client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expectedVersion: NO_STREAM, actualVersion: 1n });
    expect(await revisionsOf(stream)).toHaveLength(2);
  });

  it('a retry with expected revision any whose later events are new fails with WrongExpectedVersionError', async () => {
    const stream = uniqueStreamName('idem-any-partial');
    const events = testEvents(3);
    await client.appendToStream(stream, events.slice(0, 2), { ...options, expectedRevision: ANY });
    const error = await rejectionOf(client.appendToStream(stream, events, { ...options, expectedRevision: ANY }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(await revisionsOf(stream)).toHaveLength(2);
  });

  it('a retry with expected revision any whose first event is new appends all of them', async () => {
    const stream = uniqueStreamName('idem-any-new-first');
    const events = testEvents(2);
    await client.appendToStream(stream, events, { ...options, expectedRevision: ANY });
    const result = await client.appendToStream(stream, [...testEvents(1), ...events], { ...options, expectedRevision: ANY });
    expect(result.nextExpectedRevision).toBe(4n);
  });

  it('the same event ids appended to another stream are new events there', async () => {
    const events = testEvents(2);
    const [a, b] = [uniqueStreamName('idem-a'), uniqueStreamName('idem-b')];
    await client.appendToStream(a, events, { ...options, expectedRevision: ANY });
    const result = await client.appendToStream(b, events, { ...options, expectedRevision: ANY });
    expect(result.nextExpectedRevision).toBe(1n);
    expect(await revisionsOf(b)).toEqual([0n, 1n]);
  });

  it('one event id repeated 6 times with expected revision any writes 6 events; the retry answers revision 0 (the first match)', async () => {
    const stream = uniqueStreamName('idem-repeated');
    const event = jsonEvent({ type: 'Repeated', data: {} });
    const events = Array.from({ length: 6 }, () => event);
    expect((await client.appendToStream(stream, events, { ...options, expectedRevision: ANY })).nextExpectedRevision).toBe(5n);
    expect((await client.appendToStream(stream, events, { ...options, expectedRevision: ANY })).nextExpectedRevision).toBe(0n);
    expect(await revisionsOf(stream)).toHaveLength(6);
  });

  it('one event id repeated 6 times with expected revision no_stream retries to revision 5', async () => {
    const stream = uniqueStreamName('idem-repeated');
    const event = jsonEvent({ type: 'Repeated', data: {} });
    const events = Array.from({ length: 6 }, () => event);
    await client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM });
    expect((await client.appendToStream(stream, events, { ...options, expectedRevision: NO_STREAM })).nextExpectedRevision).toBe(5n);
  });
});
