// A poison event: a newer writer's schema version this projector cannot read. It is parked after its
// retries while everything else is projected; once an upcaster ships, replaying the parked events
// projects them, replayed as an operator would: `npm run ops -- parked replay <group>`.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonEvent } from '@eventstore/db-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAccountEvent, type AccountEventType, type JsonObject } from '../../services/domain/index.ts';
import { expectReadModelsMatchStreams } from '../../services/projector/expect-read-models.ts';
import { accountKeys, defineAccountsProjection, groupNameOf, namespaceOf } from '../../services/projector/index.ts';
import { appendRandomHistory, counterValue, startTestWorker, uniqueAccountsProjection, waitForProjectedEvents } from '../../services/projector/test-support.ts';
import { ExitCode } from '../../services/ops/index.ts';
import type { RedisClient } from '../../services/platform/index.ts';
import { ops } from '../../services/ops/test-support.ts';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from '../harness.ts';

describe('an event the projection cannot handle', () => {
  let redis: RedisClient;
  beforeAll(async () => {
    redis = await newRedisClient();
  });

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
    const connection = { esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget() };
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
      expect(await ops(['parked', 'replay', group])).toMatchObject({ code: ExitCode.ok });
      await waitForProjectedEvents(redis, projection, history.totalEvents + 3);
      await expectReadModelsMatchStreams(esdb, redis, fixed, [...history.accountIds, poisoned], { decode: fixedDecode });
      expect((await esdb.getPersistentSubscriptionToAllInfo(group)).stats.parkedMessageCount).toBe(0n);
    } finally {
      await Promise.all(fixedWorkers.map(({ worker }) => worker.stop()));
    }
  });
});
