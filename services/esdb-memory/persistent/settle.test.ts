// What happens to an event after delivery: nack retry, skip and park, retries running out into
// the parked stream, replaying parked events, message timeouts, and consumers leaving with
// events in flight.
import {
  START,
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  streamNameFilter,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../../test/harness.ts';
import { eventually, TestConsumer, testEvents, uniqueGroupName, waitForConnections } from './test-support.ts';

const client = newEsdbClient();

type Event = PersistentSubscriptionToStreamResolvedEvent;

const parkedStreamOf = (stream: string, group: string) => `$persistentsubscription-${stream}::${group}-parked`;

/** Parked events are links: read with resolveLinkTos, `event` is the parked event and `link` the link. */
const readStream = async (stream: string) => {
  const events = [];
  for await (const event of client.readStream(stream, { fromRevision: START, resolveLinkTos: true })) events.push(event);
  return events;
};

const createGroup = async (stream: string, changes: Parameters<typeof persistentSubscriptionToStreamSettingsFromDefaults>[0] = {}) => {
  const group = uniqueGroupName('g');
  await client.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...changes }),
  );
  return group;
};

describe('settling delivered events', () => {
  it('nack retry delivers the event again with its retry count one higher', async () => {
    const stream = uniqueStreamName('ps-retry');
    const group = await createGroup(stream);
    await client.appendToStream(stream, testEvents(1));
    const consumer = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group), async (event, sub) => {
      if (event.retryCount < 3) await sub.nack('retry', 'not yet', event);
      else await sub.ack(event);
    });
    const received = await consumer.waitForCount(4);
    expect(received.map((e) => e.retryCount)).toEqual([0, 1, 2, 3]);
    expect(new Set(consumer.ids).size).toBe(1);
    await consumer.stop();
  });

  it('after maxRetryCount retries the event is parked, readable from the parked stream, and replay delivers it again', async () => {
    const stream = uniqueStreamName('ps-park');
    const group = await createGroup(stream, { maxRetryCount: 2 });
    const [poison] = testEvents(1);
    await client.appendToStream(stream, [poison!, ...testEvents(1)]);
    let replayed = false;
    const consumer = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group), async (event, sub) => {
      if (event.event!.id === poison!.id && !replayed) await sub.nack('retry', 'poison', event);
      else await sub.ack(event);
    });
    const parked = await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.parkedMessageCount === 1n ? info : undefined;
    }, 'the poison event to be parked');
    expect(parked.stats.parkedMessageCount).toBe(1n);
    const poisonDeliveries = consumer.received.filter((e) => e.event!.id === poison!.id);
    expect(poisonDeliveries.map((e) => e.retryCount)).toEqual([0, 1, 2]);

    const parkedEvents = await readStream(parkedStreamOf(stream, group));
    expect(parkedEvents).toHaveLength(1);
    expect(parkedEvents[0]!.link!.type).toBe('$>');
    expect(parkedEvents[0]!.event?.id).toBe(poison!.id);

    replayed = true;
    await client.replayParkedMessagesToStream(stream, group);
    await consumer.waitUntil(() => consumer.received.filter((e) => e.event!.id === poison!.id).length === 4, 'the replayed event');
    const replay = consumer.received.at(-1)!;
    expect(replay.event!.id).toBe(poison!.id);
    expect(replay.link?.streamId).toBe(parkedStreamOf(stream, group));
    await eventually(async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.parkedMessageCount === 0n ? info : undefined;
    }, 'the parked count to drop to 0');
    await consumer.stop();
  });

  it('nack park parks the event at once; nack skip drops it; neither is delivered again', async () => {
    const stream = uniqueStreamName('ps-skip');
    const group = await createGroup(stream);
    const [parkMe, skipMe, keep] = testEvents(3);
    await client.appendToStream(stream, [parkMe!, skipMe!, keep!]);
    const consumer = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group), async (event, sub) => {
      if (event.event!.id === parkMe!.id) await sub.nack('park', 'bad data', event);
      else if (event.event!.id === skipMe!.id) await sub.nack('skip', 'not interesting', event);
      else await sub.ack(event);
    });
    await consumer.waitForCount(3);
    const parkedEvents = await eventually(async () => {
      const events = await readStream(parkedStreamOf(stream, group)).catch(() => []);
      return events.length === 1 ? events : undefined;
    }, 'the parked event');
    expect(parkedEvents[0]!.event!.id).toBe(parkMe!.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(consumer.ids).toEqual([parkMe!.id, skipMe!.id, keep!.id]);
    await consumer.stop();
  });

  it('an event not acked within messageTimeout is delivered again with a higher retry count', async () => {
    const stream = uniqueStreamName('ps-timeout');
    const group = await createGroup(stream, { messageTimeout: 200 });
    await client.appendToStream(stream, testEvents(1));
    const consumer = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group), async (event, sub) => {
      if (event.retryCount > 0) await sub.ack(event);
    });
    const received = await consumer.waitForCount(2);
    expect(received.map((e) => e.retryCount)).toEqual([0, 1]);
    expect(received[0]!.event!.id).toBe(received[1]!.event!.id);
    await consumer.stop();
  });

  it('events in flight at a consumer that disconnects go to another consumer', async () => {
    const stream = uniqueStreamName('ps-leave');
    const group = await createGroup(stream, { consumerStrategyName: 'DispatchToSingle' });
    const holder = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group), async () => {});
    await waitForConnections(() => client.getPersistentSubscriptionToStreamInfo(stream, group), 1);
    const other = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group));
    await waitForConnections(() => client.getPersistentSubscriptionToStreamInfo(stream, group), 2);
    const events = testEvents(3);
    await client.appendToStream(stream, events);
    await holder.waitForCount(3);
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.connections.map((c) => c.inFlightMessages).sort()).toEqual([0, 3]);
    await holder.stop();
    const received = await other.waitForCount(3);
    expect(received.map((e) => e.event!.id)).toEqual(events.map((e) => e.id));
    expect(received.every((e) => e.retryCount === 1)).toBe(true);
    await other.stop();
  });

  it('a $all group parks into $persistentsubscription-$all::<group>-parked', async () => {
    const group = uniqueGroupName('all');
    const prefix = uniqueStreamName('ps-allpark');
    await client.createPersistentSubscriptionToAll(group, persistentSubscriptionToAllSettingsFromDefaults(), {
      filter: streamNameFilter({ prefixes: [prefix] }),
    });
    const consumer = new TestConsumer(client.subscribeToPersistentSubscriptionToAll(group), async (event, sub) => {
      await sub.nack('park', 'bad', event);
    });
    await waitForConnections(() => client.getPersistentSubscriptionToAllInfo(group), 1);
    const [event] = testEvents(1);
    await client.appendToStream(`${prefix}-x`, [event!]);
    const parked = await eventually(async () => {
      const events = await readStream(`$persistentsubscription-$all::${group}-parked`).catch(() => []);
      return events.length === 1 ? events : undefined;
    }, 'the parked event');
    expect(parked[0]!.event!.id).toBe(event!.id);
    await consumer.stop();
    await client.deletePersistentSubscriptionToAll(group);
  });
});
