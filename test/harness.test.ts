import { jsonEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, newRedisClient, uniqueStreamName } from './harness.ts';

describe('test harness', () => {
  it('gives each call a stream name of its own under the given category', () => {
    const first = uniqueStreamName('account');
    const second = uniqueStreamName('account');
    expect(first).toMatch(/^account-[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it('connects to an EventStoreDB that stores and returns events', async () => {
    const client = newEsdbClient();
    const stream = uniqueStreamName('harness');
    await client.appendToStream(stream, jsonEvent({ type: 'HarnessChecked', data: { ok: true } }));

    const types: string[] = [];
    for await (const resolved of client.readStream(stream)) types.push(resolved.event?.type ?? '');
    expect(types).toEqual(['HarnessChecked']);
  });

  it('connects to a Redis that stores values', async () => {
    const client = await newRedisClient();
    const key = uniqueStreamName('harness');
    await client.set(key, 'stored');
    expect(await client.get(key)).toBe('stored');
  });
});
