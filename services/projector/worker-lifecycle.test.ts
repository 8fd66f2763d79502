import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from '../../test/harness.ts';
import { expectReadModelsMatchStreams } from './expect-read-models.ts';
import { startOpsServer } from './ops-http.ts';
import { groupNameOf, namespaceOf } from './projection.ts';
import { appliedChannel } from './read-model-keys.ts';
import { appendRandomHistory, counterValue, startTestWorker, uniqueAccountsProjection, waitForProjectedEvents } from './test-support.ts';

const redis = await newRedisClient();
const connection = () => ({ esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget() });

describe('projector worker lifecycle', () => {
  it('publishes every applied revision, and reports health, readiness and per-group metrics down to zero lag', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const published = new Set<string>();
    const subscriber = redis.duplicate();
    await subscriber.connect();
    await subscriber.subscribe(appliedChannel(namespaceOf(projection)), (message) => {
      const { stream, revision } = JSON.parse(message) as { stream: string; revision: number };
      published.add(`${stream}@${revision}`);
    });
    const { worker, registry } = await startTestWorker(connection(), projection, { progressIntervalMs: 100 });
    const ops = await startOpsServer({ registry, isReady: () => worker.ready }, 0, '127.0.0.1');
    const get = (path: string) => fetch(`http://127.0.0.1:${ops.port}${path}`);
    try {
      const history = await appendRandomHistory(esdb, projection, 300, 10);
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      expect((await get('/health')).status).toBe(200);
      expect((await get('/ready')).status).toBe(200);

      const group = groupNameOf(projection);
      const lagLine = `projector_lag_events{group="${group}"} 0`;
      let metrics = '';
      for (let attempt = 0; attempt < 200 && !metrics.includes(lagLine); attempt++) {
        await sleep(50);
        metrics = await (await get('/metrics')).text();
      }
      expect(metrics).toContain(lagLine);
      expect(metrics).toContain(`projector_events_applied_total{group="${group}"} ${history.totalEvents}`);
      expect(metrics).toContain(`projector_events_parked{group="${group}"} 0`);

      for (const id of history.accountIds) {
        const summary = await redis.hGet(`rm:${projection.name}:v1:{account:${id}}:summary`, 'revision');
        for (let revision = 0; revision <= Number(summary); revision++) {
          expect(published.has(`${projection.streamPrefix}${id}@${revision}`)).toBe(true);
        }
      }
      expect(published.size).toBe(history.totalEvents);
    } finally {
      await worker.stop();
      expect((await get('/ready')).status).toBe(503);
      await ops.close();
      subscriber.destroy();
    }
  });

  it('a graceful stop mid-run acks everything it applied, so the next worker finds nothing applied twice', async () => {
    const esdb = newEsdbClient();
    const projection = uniqueAccountsProjection();
    const history = await appendRandomHistory(esdb, projection);
    const first = await startTestWorker(connection(), projection);
    while ((await counterValue(first.registry, 'projector_events_applied_total')) < 300) await sleep(5);
    await first.worker.stop();
    const applied = await counterValue(first.registry, 'projector_events_applied_total');
    expect(applied).toBeLessThan(history.totalEvents);

    const next = await startTestWorker(connection(), projection);
    try {
      await waitForProjectedEvents(redis, projection, history.totalEvents);
      await expectReadModelsMatchStreams(esdb, redis, projection, history.accountIds);
      expect(await counterValue(next.registry, 'projector_events_duplicate_total')).toBe(0);
      expect(await counterValue(next.registry, 'projector_events_applied_total')).toBe(history.totalEvents - applied);
    } finally {
      await next.worker.stop();
    }
  });
});
