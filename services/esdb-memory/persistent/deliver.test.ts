// Delivering events to the consumers of a group: where a group starts, how consumer strategies
// share the events out, and the limit on consumers.
import {
  END,
  PersistentSubscriptionMaximumSubscribersReachedError,
  PersistentSubscriptionDoesNotExistError,
  START,
  jsonEvent,
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  streamNameFilter,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../../test/harness.ts';
import { TestConsumer, testEvents, uniqueGroupName, waitForConnections } from './test-support.ts';

const client = newEsdbClient();

describe('delivering events of a stream group', () => {
  it('a group from the start delivers every event in order, with retry count 0', async () => {
    const stream = uniqueStreamName('ps-deliver');
    const group = uniqueGroupName('g');
    const events = testEvents(5);
    await client.appendToStream(stream, events);
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
    const consumer = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    const received = await consumer.waitForCount(5);
    expect(received.map((e) => e.event!.id)).toEqual(events.map((e) => e.id));
    expect(received.map((e) => e.event!.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(received.every((e) => e.retryCount === 0)).toBe(true);
    await consumer.stop();
  });

  it('a group from the end sees only events appended after it was created', async () => {
    const stream = uniqueStreamName('ps-end');
    const group = uniqueGroupName('g');
    await client.appendToStream(stream, testEvents(3));
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: END }));
    const consumer = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    const later = testEvents(2);
    await client.appendToStream(stream, later);
    const received = await consumer.waitForCount(2);
    expect(received.map((e) => e.event!.id)).toEqual(later.map((e) => e.id));
    expect(received[0]!.event!.revision).toBe(3n);
    await consumer.stop();
  });

  it('a group from revision N starts at revision N', async () => {
    const stream = uniqueStreamName('ps-from');
    const group = uniqueGroupName('g');
    await client.appendToStream(stream, testEvents(6));
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: 4n }));
    const consumer = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    const received = await consumer.waitForCount(2);
    expect(received.map((e) => e.event!.revision)).toEqual([4n, 5n]);
    await consumer.stop();
  });

  it('subscribing to a group that does not exist fails with PersistentSubscriptionDoesNotExistError', async () => {
    const stream = uniqueStreamName('ps-missing');
    const group = uniqueGroupName('missing');
    const consumer = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    const error = await consumer.ended();
    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
    expect(error).toMatchObject({ streamName: stream, groupName: group });
  });

  it('RoundRobin spreads events over two consumers', async () => {
    const stream = uniqueStreamName('ps-rr');
    const group = uniqueGroupName('g');
    await client.createPersistentSubscriptionToStream(
      stream,
      group,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, consumerStrategyName: 'RoundRobin' }),
    );
    const first = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    const second = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    await waitForConnections(() => client.getPersistentSubscriptionToStreamInfo(stream, group), 2);
    await client.appendToStream(stream, testEvents(20));
    await first.waitUntil(() => first.received.length + second.received.length >= 20, '20 events over both');
    expect(first.received.length).toBeGreaterThan(0);
    expect(second.received.length).toBeGreaterThan(0);
    expect(new Set([...first.ids, ...second.ids]).size).toBe(20);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('DispatchToSingle sends everything to one consumer until it leaves, then to the other', async () => {
    const stream = uniqueStreamName('ps-single');
    const group = uniqueGroupName('g');
    await client.createPersistentSubscriptionToStream(
      stream,
      group,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, consumerStrategyName: 'DispatchToSingle' }),
    );
    const first = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    await waitForConnections(() => client.getPersistentSubscriptionToStreamInfo(stream, group), 1);
    const second = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    await waitForConnections(() => client.getPersistentSubscriptionToStreamInfo(stream, group), 2);
    await client.appendToStream(stream, testEvents(5));
    await first.waitForCount(5);
    expect(second.received).toHaveLength(0);
    await first.stop();
    await waitForConnections(() => client.getPersistentSubscriptionToStreamInfo(stream, group), 1);
    await client.appendToStream(stream, testEvents(3));
    await second.waitForCount(3);
    expect(first.received).toHaveLength(5);
    await second.stop();
  });

  it('Pinned keeps each source stream on one consumer', async () => {
    const group = uniqueGroupName('pinned');
    const prefix = uniqueStreamName('ps-pin');
    await client.createPersistentSubscriptionToAll(
      group,
      persistentSubscriptionToAllSettingsFromDefaults({ startFrom: END, consumerStrategyName: 'Pinned' }),
      { filter: streamNameFilter({ prefixes: [prefix] }) },
    );
    const first = new TestConsumer(client.subscribeToPersistentSubscriptionToAll(group));
    const second = new TestConsumer(client.subscribeToPersistentSubscriptionToAll(group));
    await waitForConnections(() => client.getPersistentSubscriptionToAllInfo(group), 2);
    const streams = Array.from({ length: 8 }, (_, i) => `${prefix}-${i}`);
    for (let round = 0; round < 3; round++) {
      for (const stream of streams) await client.appendToStream(stream, jsonEvent({ type: 'Pinned', data: { round } }));
    }
    await first.waitUntil(() => first.received.length + second.received.length >= 24, '24 events over both');
    const firstStreams = new Set(first.received.map((e) => e.event!.streamId));
    const secondStreams = new Set(second.received.map((e) => e.event!.streamId));
    for (const stream of firstStreams) expect(secondStreams.has(stream)).toBe(false);
    expect(firstStreams.size + secondStreams.size).toBe(8);
    await Promise.all([first.stop(), second.stop()]);
    await client.deletePersistentSubscriptionToAll(group);
  });

  it('a group with maxSubscriberCount refuses one consumer more with MaximumSubscribersReachedError', async () => {
    const stream = uniqueStreamName('ps-max');
    const group = uniqueGroupName('g');
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ maxSubscriberCount: 1 }));
    const first = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    await waitForConnections(() => client.getPersistentSubscriptionToStreamInfo(stream, group), 1);
    const second = new TestConsumer(client.subscribeToPersistentSubscriptionToStream(stream, group));
    const error = await second.ended();
    expect(error).toBeInstanceOf(PersistentSubscriptionMaximumSubscribersReachedError);
    expect(error).toMatchObject({ streamName: stream, groupName: group });
    await first.stop();
  });
});

describe('delivering events of a $all group', () => {
  it('a filtered $all group from the end delivers only new events of matching streams', async () => {
    const group = uniqueGroupName('all');
    const prefix = uniqueStreamName('ps-allf');
    await client.createPersistentSubscriptionToAll(group, persistentSubscriptionToAllSettingsFromDefaults({ startFrom: END }), {
      filter: streamNameFilter({ prefixes: [prefix] }),
    });
    const consumer = new TestConsumer(client.subscribeToPersistentSubscriptionToAll(group));
    await client.appendToStream(uniqueStreamName('ps-other'), testEvents(3));
    const mine = testEvents(3);
    await client.appendToStream(`${prefix}-a`, mine);
    const received = await consumer.waitForCount(3);
    expect(received.map((e) => e.event!.id)).toEqual(mine.map((e) => e.id));
    expect(received.every((e) => e.event!.streamId === `${prefix}-a`)).toBe(true);
    await consumer.stop();
    await client.deletePersistentSubscriptionToAll(group);
  });
});
