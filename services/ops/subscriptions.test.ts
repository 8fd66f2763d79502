import { jsonEvent, persistentSubscriptionToStreamSettingsFromDefaults, START, type PersistentSubscriptionToAllResolvedEvent } from '@eventstore/db-client';
import { afterAll, describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { ensureSubscriptionGroup, groupNameOf } from '../projector/index.ts';
import { appendRandomHistory, uniqueAccountsProjection } from '../projector/test-support.ts';
import { ExitCode } from './command.ts';
import type { GroupStatus } from './subscription-groups.ts';
import { info, ops, parsedJson, until } from './test-support.ts';

const esdb = newEsdbClient();

/** The table row of `group` in `subscriptions list`, by column header. */
async function listedRow(group: string): Promise<Record<string, string>> {
  const run = await ops(['subscriptions', 'list']);
  expect(run.code).toBe(ExitCode.ok);
  const [header, ...rows] = run.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/));
  const row = rows.find((cells) => cells[0] === group);
  expect(row, `${group} in\n${run.stdout}`).toBeDefined();
  return Object.fromEntries(header!.map((name, column) => [name, row![column]!]));
}

describe('ops subscriptions and parked', () => {
  const projection = uniqueAccountsProjection();
  const group = groupNameOf(projection);
  afterAll(() => esdb.deletePersistentSubscriptionToAll(group));

  it('shows a $all group: lag behind the head, consumers with their in-flight counts, parked events', async () => {
    const history = await appendRandomHistory(esdb, projection, 40, 4);
    await ensureSubscriptionGroup(esdb, projection);
    expect(await info(group)).toMatchObject({
      source: '$all', group, consumers: [], inFlight: 0, parked: 0, lag: history.totalEvents, lagCapped: false,
      filter: `stream starts with ${projection.streamPrefix}`, startFrom: 'start', status: expect.any(String),
    });

    // A consumer that takes 5 events and acks none of them.
    const received: PersistentSubscriptionToAllResolvedEvent[] = [];
    const consumer = esdb.subscribeToPersistentSubscriptionToAll(group, { bufferSize: 5 });
    consumer.on('data', (event: PersistentSubscriptionToAllResolvedEvent) => received.push(event));
    try {
      await until('the consumer holds 5 events', async () => received.length === 5);
      const held = await info(group);
      expect(held).toMatchObject({ inFlight: 5, lag: history.totalEvents });
      expect(held.consumers).toEqual([{ name: expect.any(String), from: expect.any(String), inFlight: 5 }]);
      expect(await listedRow(group)).toEqual({
        GROUP: group, SOURCE: '$all', STATUS: held.status, CONSUMERS: '1', 'IN-FLIGHT': '5', PARKED: '0', LAG: String(history.totalEvents),
      });
      const listed = parsedJson(await ops(['subscriptions', 'list', '--json'])) as { groups: GroupStatus[] };
      expect(listed.groups.find((candidate) => candidate.group === group)).toMatchObject({ inFlight: 5, consumers: [{ inFlight: 5 }] });

      const [first, second] = received;
      await consumer.nack('park', 'operator test', first!, second!);
      await until('two events are parked', async () => (await info(group)).parked === 2);
      const parked = await ops(['parked', 'list', group, '--json']);
      expect(parked.code).toBe(ExitCode.ok);
      expect(parsedJson(parked)).toEqual({
        source: '$all', group, total: 2,
        parked: [first!, second!].map(({ event }, at) => ({
          parkedRevision: at, eventId: event!.id, stream: event!.streamId, revision: Number(event!.revision), type: event!.type,
          parkedAt: expect.stringMatching(/^\d{4}-/), reason: expect.stringContaining('operator test'),
        })),
      });
      const table = await ops(['parked', 'list', group, '--limit', '1']);
      expect(table.stdout).toContain(first!.event!.id);
      expect(table.stdout).not.toContain(second!.event!.id);
      expect(table.stdout).toContain('1 more (raise --limit)');

      // The replay truncates the parked stream: the count is what is left, as the server counts it.
      expect((await ops(['parked', 'replay', group, '--stop-at', '1'])).code).toBe(ExitCode.ok);
      await until('one parked event is left', async () => (await info(group)).parked === 1);
      expect((parsedJson(await ops(['parked', 'list', group, '--json'])) as { parked: { eventId: string }[] }).parked.map((p) => p.eventId)).toEqual([second!.event!.id]);
    } finally {
      await consumer.unsubscribe();
    }
  });

  it.each([
    [['subscriptions', 'info']],
    [['subscriptions', 'reset', '--yes']],
    [['parked', 'list']],
    [['parked', 'replay']],
  ])('answers an unknown group with exit code 3: %j', async (command) => {
    const run = await ops([...command, 'no-such-group-here']);
    expect(run).toMatchObject({ code: ExitCode.notFound, stdout: '', stderr: expect.stringContaining("No persistent-subscription group named 'no-such-group-here'") });
  });
});

describe('ops parked list of an event deleted since it was parked', () => {
  const stream = uniqueStreamName('ops-parked-deleted');
  const group = `ops-parked-${stream.slice(-8)}`;
  afterAll(() => esdb.deletePersistentSubscriptionToStream(stream, group));

  it('still says which stream and revision it was', async () => {
    await esdb.appendToStream(stream, jsonEvent({ type: 'Noted', data: {} }));
    await esdb.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
    const consumer = esdb.subscribeToPersistentSubscriptionToStream(stream, group);
    try {
      for await (const resolved of consumer) {
        await consumer.nack('park', 'unreadable', resolved);
        break;
      }
    } finally {
      await consumer.unsubscribe();
    }
    await until('the event is parked', async () => (await info(group)).parked === 1);
    await esdb.deleteStream(stream);
    const listed = parsedJson(await ops(['parked', 'list', group, '--json'])) as { parked: unknown[] };
    expect(listed.parked).toEqual([expect.objectContaining({ eventId: null, stream, revision: 0, type: null })]);
  });
});
