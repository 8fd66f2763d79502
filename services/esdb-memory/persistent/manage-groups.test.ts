// Creating, updating, inspecting, listing and deleting subscription groups, on a stream and on
// `$all`, and the errors the server answers for groups that exist or do not.
import {
  END,
  PersistentSubscriptionDoesNotExistError,
  PersistentSubscriptionExistsError,
  START,
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  streamNameFilter,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../../test/harness.ts';
import { rejectionOf, testEvents, uniqueGroupName } from './test-support.ts';

const client = newEsdbClient();

describe('managing persistent subscription groups on a stream', () => {
  it('a created group reports the settings it was created with', async () => {
    const stream = uniqueStreamName('ps-manage');
    const group = uniqueGroupName('g');
    const settings = persistentSubscriptionToStreamSettingsFromDefaults({
      startFrom: START,
      resolveLinkTos: true,
      messageTimeout: 12_000,
      maxRetryCount: 3,
      checkPointAfter: 500,
      checkPointLowerBound: 2,
      checkPointUpperBound: 20,
      maxSubscriberCount: 4,
      liveBufferSize: 100,
      readBatchSize: 10,
      historyBufferSize: 200,
      consumerStrategyName: 'Pinned',
    });
    await client.createPersistentSubscriptionToStream(stream, group, settings);
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.eventSource).toBe(stream);
    expect(info.groupName).toBe(group);
    expect(info.settings).toEqual(settings);
    expect(info.connections).toEqual([]);
    expect(info.stats.parkedMessageCount).toBe(0n);
  });

  it('creating a group that exists fails with PersistentSubscriptionExistsError naming stream and group', async () => {
    const stream = uniqueStreamName('ps-manage');
    const group = uniqueGroupName('g');
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults());
    const error = await rejectionOf(
      client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults()),
    );
    expect(error).toBeInstanceOf(PersistentSubscriptionExistsError);
    expect(error).toMatchObject({ streamName: stream, groupName: group });
  });

  it('updating changes the settings GetInfo reports', async () => {
    const stream = uniqueStreamName('ps-manage');
    const group = uniqueGroupName('g');
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults());
    const updated = persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: 3n, maxRetryCount: 7, consumerStrategyName: 'DispatchToSingle' });
    await client.updatePersistentSubscriptionToStream(stream, group, updated);
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.settings).toEqual(updated);
  });

  it('updating, deleting or inspecting a group that does not exist fails with PersistentSubscriptionDoesNotExistError', async () => {
    const stream = uniqueStreamName('ps-manage');
    const group = uniqueGroupName('missing');
    const settings = persistentSubscriptionToStreamSettingsFromDefaults();
    for (const operation of [
      client.updatePersistentSubscriptionToStream(stream, group, settings),
      client.deletePersistentSubscriptionToStream(stream, group),
      client.getPersistentSubscriptionToStreamInfo(stream, group),
      client.replayParkedMessagesToStream(stream, group),
    ]) {
      const error = await rejectionOf(operation);
      expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
      expect(error).toMatchObject({ streamName: stream, groupName: group });
    }
  });

  it('a deleted group is gone from GetInfo and from the stream list', async () => {
    const stream = uniqueStreamName('ps-manage');
    const [kept, deleted] = [uniqueGroupName('kept'), uniqueGroupName('deleted')];
    await client.createPersistentSubscriptionToStream(stream, kept, persistentSubscriptionToStreamSettingsFromDefaults());
    await client.createPersistentSubscriptionToStream(stream, deleted, persistentSubscriptionToStreamSettingsFromDefaults());
    await client.deletePersistentSubscriptionToStream(stream, deleted);
    expect(await rejectionOf(client.getPersistentSubscriptionToStreamInfo(stream, deleted))).toBeInstanceOf(
      PersistentSubscriptionDoesNotExistError,
    );
    const listed = await client.listPersistentSubscriptionsToStream(stream);
    expect(listed.map((info) => info.groupName)).toEqual([kept]);
  });

  it('listing a stream that never had a group fails with PersistentSubscriptionDoesNotExistError', async () => {
    const error = await rejectionOf(client.listPersistentSubscriptionsToStream(uniqueStreamName('ps-none')));
    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
  });

  it('listing all groups includes stream groups and $all groups', async () => {
    const stream = uniqueStreamName('ps-manage');
    const [streamGroup, allGroup] = [uniqueGroupName('stream'), uniqueGroupName('all')];
    await client.createPersistentSubscriptionToStream(stream, streamGroup, persistentSubscriptionToStreamSettingsFromDefaults());
    await client.createPersistentSubscriptionToAll(allGroup, persistentSubscriptionToAllSettingsFromDefaults());
    const all = await client.listAllPersistentSubscriptions();
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventSource: stream, groupName: streamGroup }),
        expect.objectContaining({ eventSource: '$all', groupName: allGroup }),
      ]),
    );
    await client.deletePersistentSubscriptionToAll(allGroup);
  });

  it('GetInfo reports checkpointed and last known revisions, from which lag follows', async () => {
    const stream = uniqueStreamName('ps-lag');
    const group = uniqueGroupName('g');
    await client.appendToStream(stream, testEvents(5));
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.stats.lastCheckpointedEventRevision).toBeUndefined();
    expect(info.settings.startFrom).toBe(START);
  });
});

describe('managing persistent subscription groups on $all', () => {
  it('a filtered $all group reports its settings and start position', async () => {
    const group = uniqueGroupName('all');
    const settings = persistentSubscriptionToAllSettingsFromDefaults({ startFrom: END, maxRetryCount: 2 });
    await client.createPersistentSubscriptionToAll(group, settings, { filter: streamNameFilter({ prefixes: ['ps-filter-'] }) });
    const info = await client.getPersistentSubscriptionToAllInfo(group);
    expect(info.eventSource).toBe('$all');
    expect(info.settings).toEqual(settings);
    const listed = await client.listPersistentSubscriptionsToAll();
    expect(listed.map((entry) => entry.groupName)).toContain(group);
    await client.deletePersistentSubscriptionToAll(group);
    expect(await rejectionOf(client.getPersistentSubscriptionToAllInfo(group))).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
  });

  it('creating a $all group that exists fails with PersistentSubscriptionExistsError on stream $all', async () => {
    const group = uniqueGroupName('all');
    await client.createPersistentSubscriptionToAll(group, persistentSubscriptionToAllSettingsFromDefaults());
    const error = await rejectionOf(client.createPersistentSubscriptionToAll(group, persistentSubscriptionToAllSettingsFromDefaults()));
    expect(error).toBeInstanceOf(PersistentSubscriptionExistsError);
    expect(error).toMatchObject({ streamName: '$all', groupName: group });
    await client.deletePersistentSubscriptionToAll(group);
  });

  it('updating a $all group that does not exist fails with PersistentSubscriptionDoesNotExistError', async () => {
    const error = await rejectionOf(
      client.updatePersistentSubscriptionToAll(uniqueGroupName('missing'), persistentSubscriptionToAllSettingsFromDefaults()),
    );
    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
  });
});
