import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonEvent } from '@eventstore/db-client';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esdbConnectionString, newEsdbClient, redisUrl } from '../../test/harness.ts';
import { decodeAccountEvent, type AccountEventType, type JsonObject } from '../domain/index.ts';
import { startRedisServer } from '../platform/index.ts';
import { defineAccountsProjection } from './account-projection.ts';
import { expectReadModelsMatchStreams } from './expect-read-models.ts';
import { groupNameOf, namespaceOf } from './projection.ts';
import { accountKeys } from './read-model-keys.ts';
import { appendRandomHistory, counterValue, startTestWorker, uniqueAccountsProjection, waitForProjectedEvents } from './test-support.ts';

describe('projector under faults', () => {
  it('holds events back while Redis is down and resumes when it is back, with nothing lost or doubled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'projector-redis-'));
    let server = await startRedisServer({ dir, durable: true });
    const connection = { esdbConnectionString: esdbConnectionString(), redisUrl: server.url };
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const workers = [await startTestWorker(connection, projection), await startTestWorker(connection, projection)];
    try {
      const before = await appendRandomHistory(esdb, projection, 1_000, 25);
      while ((await counterValue(workers[0]!.registry, 'projector_events_applied_total')) < 100) await sleep(5);
      await server.stop();
      // Written while Redis is down, so the workers certainly hold events they cannot apply yet
      // (the first history alone may be fully projected by the time Redis stops).
      const during = await appendRandomHistory(esdb, projection, 1_000, 25);
      const retries = async () => {
        let total = 0;
        for (const { registry } of workers) total += await counterValue(registry, 'projector_retries_total');
        return total;
      };
      while ((await retries()) === 0) await sleep(10);
      server = await startRedisServer({ dir, durable: true, port: server.port });

      const redis = createClient({ url: server.url });
      await redis.connect();
      try {
        await waitForProjectedEvents(redis, projection, before.totalEvents + during.totalEvents);
        await expectReadModelsMatchStreams(esdb, redis, projection, [...before.accountIds, ...during.accountIds]);
      } finally {
        redis.destroy();
      }
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.kill()));
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('an event the projection cannot handle', () => {
    const redis = createClient({ url: redisUrl() });
    beforeAll(() => redis.connect());
    afterAll(() => redis.destroy());

    // A newer writer stored MoneyDeposited at schemaVersion 2 (with an extra field); this projector only knows v1.
    const depositV2 = (accountId: string) =>
      jsonEvent({
        type: 'MoneyDeposited',
        data: { accountId, amount: '12.50', balanceAfter: '12.50', currency: 'EUR', channel: 'atm' },
        metadata: { schemaVersion: 2, occurredAt: '2026-02-01T00:00:00.000Z', $correlationId: randomUUID(), actor: 'atm' },
      });
    const withdrawV1 = (accountId: string) =>
      jsonEvent({
        type: 'MoneyWithdrawn',
        data: { accountId, amount: '2.50', balanceAfter: '10.00', currency: 'EUR' },
        metadata: { schemaVersion: 1, occurredAt: '2026-02-01T00:00:01.000Z', $correlationId: randomUUID(), actor: 'atm' },
      });
    // The fix that ships later: read v2 by dropping the field v1 does not have.
    const fixedDecode = (type: AccountEventType, schemaVersion: number, data: JsonObject) => {
      if (type === 'MoneyDeposited' && schemaVersion === 2) {
        const { channel: _channel, ...v1 } = data;
        return decodeAccountEvent(type, 1, v1);
      }
      return decodeAccountEvent(type, schemaVersion, data);
    };

    it('is parked while the rest is projected, and projected once replayed after the fix', async () => {
      const esdb = newEsdbClient();
      const projection = uniqueAccountsProjection();
      const connection = { esdbConnectionString: esdbConnectionString(), redisUrl: redisUrl() };
      const options = { groupSettings: { maxRetryCount: 3 }, gapWaitMs: 50 };
      const workers = [await startTestWorker(connection, projection, options), await startTestWorker(connection, projection, options)];

      const poisoned = randomUUID();
      const opened = jsonEvent({
        type: 'AccountOpened',
        data: { accountId: poisoned, holderName: 'Poe', currency: 'EUR', minorUnits: 2 },
        metadata: { schemaVersion: 2, occurredAt: '2026-01-31T00:00:00.000Z', $correlationId: randomUUID(), actor: 'atm' },
      });
      await esdb.appendToStream(projection.streamPrefix + poisoned, [opened, depositV2(poisoned), withdrawV1(poisoned)]);
      const history = await appendRandomHistory(esdb, projection, 500, 10);
      const group = groupNameOf(projection);
      try {
        // Everything else, and the poisoned account's opening, is projected; the deposit and the
        // withdrawal after it (which can only follow it) end up parked.
        await waitForProjectedEvents(redis, projection, history.totalEvents + 1);
        await expectReadModelsMatchStreams(esdb, redis, projection, history.accountIds, { checkGlobals: false });
        expect(await redis.hGet(accountKeys(namespaceOf(projection), poisoned).summary, 'revision')).toBe('0');
        while ((await esdb.getPersistentSubscriptionToAllInfo(group)).stats.parkedMessageCount < 2n) await sleep(20);
        let unhandled = 0;
        for (const { registry } of workers) unhandled += await counterValue(registry, 'projector_events_unhandled_total');
        expect(unhandled).toBeGreaterThanOrEqual(4);
      } finally {
        await Promise.all(workers.map(({ worker }) => worker.stop()));
      }

      const fixed = defineAccountsProjection({ name: projection.name, streamPrefix: projection.streamPrefix, decode: fixedDecode });
      const fixedWorkers = [await startTestWorker(connection, fixed, options), await startTestWorker(connection, fixed, options)];
      try {
        await esdb.replayParkedMessagesToAll(group);
        await waitForProjectedEvents(redis, projection, history.totalEvents + 3);
        await expectReadModelsMatchStreams(esdb, redis, fixed, [...history.accountIds, poisoned], { decode: fixedDecode });
        expect((await esdb.getPersistentSubscriptionToAllInfo(group)).stats.parkedMessageCount).toBe(0n);
      } finally {
        await Promise.all(fixedWorkers.map(({ worker }) => worker.stop()));
      }
    });
  });
});
