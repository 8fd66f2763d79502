import { jsonEvent, persistentSubscriptionToStreamSettingsFromDefaults, END } from '@eventstore/db-client';
import { afterAll, describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { ensureSubscriptionGroup, groupNameOf } from '../projector/index.ts';
import { appendRandomHistory, uniqueAccountsProjection } from '../projector/test-support.ts';
import { ExitCode } from './command.ts';
import { info, ops, parsedJson } from './test-support.ts';

const esdb = newEsdbClient();

describe('ops subscriptions reset', () => {
  const stream = uniqueStreamName('ops-reset');
  const group = `ops-reset-${stream.slice(-8)}`;
  afterAll(() => esdb.deletePersistentSubscriptionToStream(stream, group));

  /** The revision of the first event a new consumer of the group gets. */
  async function firstDelivered(): Promise<bigint> {
    const consumer = esdb.subscribeToPersistentSubscriptionToStream(stream, group);
    try {
      for await (const { event } of consumer) return event!.revision;
      throw new Error('no event');
    } finally {
      await consumer.unsubscribe();
    }
  }

  it('asks first, and a no leaves the group as it was (exit code 4)', async () => {
    for (let n = 0; n < 5; n++) await esdb.appendToStream(stream, jsonEvent({ type: 'Noted', data: { n } }));
    await esdb.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: END }));
    const refused = await ops(['subscriptions', 'reset', group, '--from', 'start']);
    expect(refused).toMatchObject({ code: ExitCode.refused, stdout: '', stderr: expect.stringContaining('Not reset') });
    expect(refused.questions).toEqual([expect.stringContaining(`Reset '${group}' on ${stream} to start from start?`)]);
    expect(await info(group)).toMatchObject({ startFrom: 'end', lag: 0 });
  });

  it('moves a stream group to a revision once confirmed: consumers get events from there', async () => {
    const run = await ops(['subscriptions', 'reset', group, '--from', '3'], true);
    expect(run).toMatchObject({ code: ExitCode.ok, stdout: `Reset '${group}' on ${stream}: it starts again from 3.\n` });
    expect(await info(group)).toMatchObject({ startFrom: '3', lag: 2 });
    expect(await firstDelivered()).toBe(3n);
  });

  it('resets without asking with --yes, and --json says what it did', async () => {
    const run = await ops(['subscriptions', 'reset', group, '--yes', '--json']);
    expect(run.questions).toEqual([]);
    expect(parsedJson(run)).toEqual({ source: stream, group, from: 'start', parkedDiscarded: 0 });
    expect(await info(group)).toMatchObject({ startFrom: 'start', lag: 5 });
  });

  it.each([['C:1/P:1'], ['-1'], ['soon']])('refuses --from %s for a stream group with exit code 2', async (from) => {
    const run = await ops(['subscriptions', 'reset', group, `--from=${from}`, '--yes']);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toContain('--from for a stream group is start, end or a revision number');
  });
});

describe('ops subscriptions reset of a $all group', () => {
  const projection = uniqueAccountsProjection();
  const group = groupNameOf(projection);
  afterAll(() => esdb.deletePersistentSubscriptionToAll(group));

  it('moves it to a position, keeping its filter: consumers start at the event there', async () => {
    const history = await appendRandomHistory(esdb, projection, 20, 2);
    await ensureSubscriptionGroup(esdb, projection);
    const stream = projection.streamPrefix + history.accountIds[1]!;
    const read = await ops(['streams', 'read', stream, '--json']);
    const target = JSON.parse(read.stdout.split('\n')[1]!) as { eventId: string; position: string };

    const run = await ops(['subscriptions', 'reset', group, '--from', target.position, '--yes']);
    expect(run).toMatchObject({ code: ExitCode.ok, stderr: '' });
    expect(await info(group)).toMatchObject({ startFrom: target.position, filter: `stream starts with ${projection.streamPrefix}` });
    const consumer = esdb.subscribeToPersistentSubscriptionToAll(group);
    try {
      for await (const { event } of consumer) {
        expect(event!.id).toBe(target.eventId);
        break;
      }
    } finally {
      await consumer.unsubscribe();
    }

    const commit = target.position.split('/')[0]!.slice(2);
    expect((await ops(['subscriptions', 'reset', group, '--from', commit, '--yes'])).code).toBe(ExitCode.ok);
    expect(await info(group)).toMatchObject({ startFrom: `C:${commit}/P:${commit}` });
    const bad = await ops(['subscriptions', 'reset', group, '--from', 'C:5', '--yes']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toContain('--from for a $all group is start, end, C:<commit>/P:<prepare> or a commit number');
  });
});
