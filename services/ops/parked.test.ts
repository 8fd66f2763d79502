// An event the projection cannot read is parked; once the projection is fixed, `parked replay`
// brings it into the read model and leaves nothing parked.
import { randomUUID } from 'node:crypto';
import { jsonEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from '../../test/harness.ts';
import { decodeAccountEvent, type AccountEventType, type JsonObject } from '../domain/index.ts';
import { accountKeys, defineAccountsProjection, groupNameOf, namespaceOf } from '../projector/index.ts';
import { appendRandomHistory, startTestWorker, uniqueAccountsProjection, waitForProjectedEvents } from '../projector/test-support.ts';
import { ExitCode } from './command.ts';
import type { ParkedEventView } from './parked-stream.ts';
import { info, ops, parsedJson, until } from './test-support.ts';

const redis = await newRedisClient();
const connection = { esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget() };
const workerOptions = { groupSettings: { maxRetryCount: 2 }, gapWaitMs: 50 };

const metadata = (schemaVersion: number) => ({ schemaVersion, occurredAt: '2026-02-01T00:00:00.000Z', $correlationId: randomUUID(), actor: 'atm' });

// The fix that ships later: MoneyDeposited v2 (written by a newer writer) read as v1 without its extra field.
const fixedDecode = (type: AccountEventType, schemaVersion: number, data: JsonObject) => {
  if (type === 'MoneyDeposited' && schemaVersion === 2) {
    const { channel: _channel, ...v1 } = data;
    return decodeAccountEvent(type, 1, v1);
  }
  return decodeAccountEvent(type, schemaVersion, data);
};

const parkedOf = async (group: string) => parsedJson(await ops(['parked', 'list', group, '--json'])) as { total: number; parked: ParkedEventView[] };

describe('ops parked replay after a fix', () => {
  it('lists the parked event, and after the fix a replay projects it and nothing stays parked', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const group = groupNameOf(projection);
    const accountId = randomUUID();
    const stream = projection.streamPrefix + accountId;
    const summaryKey = accountKeys(namespaceOf(projection), accountId).summary;
    await esdb.appendToStream(stream, [
      jsonEvent({ type: 'AccountOpened', data: { accountId, holderName: 'Poe', currency: 'EUR', minorUnits: 2 }, metadata: metadata(2) }),
      jsonEvent({ type: 'MoneyDeposited', data: { accountId, amount: '12.50', balanceAfter: '12.50', currency: 'EUR', channel: 'atm' }, metadata: metadata(2) }),
    ]);
    const history = await appendRandomHistory(esdb, projection, 200, 8);

    const broken = await startTestWorker(connection, projection, workerOptions);
    try {
      await waitForProjectedEvents(redis, projection, history.totalEvents + 1);
      await until('the unreadable deposit is parked', async () => (await parkedOf(group)).total === 1);
    } finally {
      await broken.worker.stop();
    }
    const listed = await parkedOf(group);
    expect(listed.parked).toEqual([
      { parkedRevision: 0, eventId: expect.any(String), stream, revision: 1, type: 'MoneyDeposited', parkedAt: expect.any(String), reason: expect.any(String) },
    ]);
    const table = await ops(['parked', 'list', group]);
    expect(table.stdout).toMatch(new RegExp(`${stream}\\s+1\\s+MoneyDeposited`));
    expect(await redis.hGet(summaryKey, 'balance')).toBe('0.00');

    const fixed = defineAccountsProjection({ name: projection.name, streamPrefix: projection.streamPrefix, decode: fixedDecode });
    const worker = await startTestWorker(connection, fixed, workerOptions);
    try {
      const replay = await ops(['parked', 'replay', group]);
      expect(replay).toMatchObject({ code: ExitCode.ok, stdout: expect.stringContaining('1 waiting') });
      await waitForProjectedEvents(redis, projection, history.totalEvents + 2);
      expect(await redis.hGetAll(summaryKey)).toMatchObject({ balance: '12.50', revision: '1' });
      expect(await parkedOf(group)).toEqual({ source: '$all', group, total: 0, parked: [] });
      expect((await ops(['parked', 'list', group])).stdout).toBe(`No parked events in '${group}'.\n`);
      expect(await info(group)).toMatchObject({ parked: 0 });
    } finally {
      await worker.worker.stop();
      await esdb.deletePersistentSubscriptionToAll(group);
    }
  });
});
