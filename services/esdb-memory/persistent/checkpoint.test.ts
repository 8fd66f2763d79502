// Checkpoints: written to `$persistentsubscription-<stream>::<group>-checkpoint` as acks come in,
// reported by GetInfo, and where a group resumes after the subsystem or the server restarts
// (with --db, even after kill -9: definitions, checkpoints and parked events are events in the log).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventStoreDBClient,
  START,
  persistentSubscriptionToStreamSettingsFromDefaults,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../platform/index.ts';
import { newEsdbClient, uniqueStreamName } from '../../../test/harness.ts';
import { eventually, TestConsumer, testEvents, uniqueGroupName } from './test-support.ts';

type Event = PersistentSubscriptionToStreamResolvedEvent;

const ADMIN = { credentials: { username: 'admin', password: 'changeit' } };

const quickCheckpoints = persistentSubscriptionToStreamSettingsFromDefaults({
  startFrom: START,
  checkPointAfter: 100,
  checkPointLowerBound: 1,
  checkPointUpperBound: 5,
});

const checkpointedRevision = (client: EventStoreDBClient, stream: string, group: string, revision: bigint) =>
  eventually(async () => {
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    return info.stats.lastCheckpointedEventRevision === revision ? info : undefined;
  }, `a checkpoint at revision ${revision}`);

describe('checkpoints of a stream group', () => {
  const client = newEsdbClient();

  it('acked events are checkpointed into the checkpoint stream and reported by GetInfo', async () => {
    const stream = uniqueStreamName('ps-cp');
    const group = uniqueGroupName('g');
    await client.createPersistentSubscriptionToStream(stream, group, quickCheckpoints);
    await client.appendToStream(stream, testEvents(5));
    const consumer = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group));
    await consumer.waitForCount(5);
    const info = await checkpointedRevision(client, stream, group, 4n);
    expect(info.stats.lastKnownEventRevision).toBe(4n);
    const checkpoints = [];
    for await (const event of client.readStream(`$persistentsubscription-${stream}::${group}-checkpoint`, { fromRevision: START, ...ADMIN })) {
      checkpoints.push(event.event!);
    }
    expect(checkpoints.at(-1)).toMatchObject({ type: '$SubscriptionCheckpoint', data: '4' });
    await consumer.stop();
  });

  it('after a subsystem restart the group resumes after its checkpoint', async () => {
    const stream = uniqueStreamName('ps-restart');
    const group = uniqueGroupName('g');
    await client.createPersistentSubscriptionToStream(stream, group, quickCheckpoints);
    await client.appendToStream(stream, testEvents(5));
    const before = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group));
    await before.waitForCount(5);
    await checkpointedRevision(client, stream, group, 4n);
    await client.restartPersistentSubscriptionSubsystem();
    await before.ended();
    const later = testEvents(2);
    await client.appendToStream(stream, later);
    const after = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group));
    const received = await after.waitForCount(2);
    expect(received.map((e) => e.event!.id)).toEqual(later.map((e) => e.id));
    await after.stop();
  });
});

describe('a durable server (--db) killed with SIGKILL', () => {
  const dbDir = mkdtempSync(join(tmpdir(), 'esdb-persistent-'));
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dbDir, { recursive: true, force: true });
  });

  const startServer = async (port: number): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/esdb-memory/main.ts', '--port', String(port), '--db', dbDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout!, 'data');
    return child;
  };

  // Runs its own server process, so it runs the same whether or not ESDB_CONNECTION_STRING is set.
  it(
    'keeps group definitions, checkpoints and parked events, and resumes after the checkpoint',
    async () => {
      const port = await findFreePort();
      server = await startServer(port);
      let client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
      const stream = uniqueStreamName('ps-durable');
      const group = uniqueGroupName('g');
      await client.createPersistentSubscriptionToStream(stream, group, { ...quickCheckpoints, maxRetryCount: 0 });
      const [poison, ...rest] = testEvents(5);
      await client.appendToStream(stream, [poison!, ...rest]);
      const consumer = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group), async (event, sub) => {
        if (event.event!.id === poison!.id) await sub.nack('park', 'poison', event);
        else await sub.ack(event);
      });
      await consumer.waitForCount(5);
      await checkpointedRevision(client, stream, group, 4n);
      server.kill('SIGKILL');
      await once(server, 'exit');
      await client.dispose();

      server = await startServer(port);
      client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
      const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      expect(info.settings.checkPointUpperBound).toBe(5);
      expect(info.stats.parkedMessageCount).toBe(1n);
      expect(info.stats.lastCheckpointedEventRevision).toBe(4n);
      const later = testEvents(2);
      await client.appendToStream(stream, later);
      const resumed = new TestConsumer<Event>(client.subscribeToPersistentSubscriptionToStream(stream, group));
      const received = await resumed.waitForCount(2);
      expect(received.map((e) => e.event!.id)).toEqual(later.map((e) => e.id));
      await resumed.stop();
      await client.dispose();
    },
  );
});
