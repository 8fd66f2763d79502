// Projector worker processes are killed with SIGKILL in the middle of their batches, several times,
// while events keep being appended: what they held unacked is redelivered to the survivors and to
// their replacements, and the read models end equal to the fold of the streams, nothing lost or doubled.
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { describe, it } from 'vitest';
import { expectReadModelsMatchStreams } from '../../services/projector/expect-read-models.ts';
import { globalKeys, namespaceOf } from '../../services/projector/index.ts';
import { appendRandomHistory, uniqueAccountsProjection, waitForProjectedEvents, type GeneratedHistory } from '../../services/projector/test-support.ts';
import { esdbConnectionString, newEsdbClient, redisUrl } from '../harness.ts';
import { loadProjectorProcess } from './projector-process.ts';

const KILLS = 3;

describe('projector processes killed with SIGKILL mid-batch under load', () => {
  it('leave read models equal to the fold of the streams', { timeout: 90_000 }, async () => {
    const esdb = newEsdbClient();
    const redis = createClient({ url: redisUrl() });
    await redis.connect();
    const projection = uniqueAccountsProjection();
    const connection = { esdbConnectionString: esdbConnectionString(), redisUrl: redisUrl() };
    const stats = globalKeys(namespaceOf(projection)).stats;
    const projectedEvents = async () => Number((await redis.hGet(stats, 'events')) ?? 0);
    // Two workers, and a spare loaded ahead for each kill, so a replacement joins the moment one dies.
    const processes = await Promise.all(Array.from({ length: 2 + KILLS }, () => loadProjectorProcess(connection, projection)));
    const running = processes.slice(0, 2);
    const spares = processes.slice(2);
    running.forEach((worker) => worker.go());
    let appending = true;
    const histories: GeneratedHistory[] = [];
    // The load: round after round of new accounts' histories, appended until the last kill is done.
    const appended = (async () => {
      while (appending) {
        histories.push(await appendRandomHistory(esdb, projection, 200, 5));
        // A steady trickle rather than a flood, so that the two cores are left to the workers.
        await sleep(100);
      }
    })();
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        // Kill only once the workers are busy: some events applied since the last kill, more coming.
        const before = await projectedEvents();
        const deadline = Date.now() + 20_000;
        while ((await projectedEvents()) < before + 150) {
          if (Date.now() > deadline) throw new Error(`workers projected nothing after kill ${kill}`);
          await sleep(10);
        }
        await running.shift()!.kill();
        const spare = spares.shift()!;
        spare.go();
        running.push(spare);
      }
      appending = false;
      await appended;
      const total = histories.reduce((sum, history) => sum + history.totalEvents, 0);
      await waitForProjectedEvents(redis, projection, total, 45_000);
      await expectReadModelsMatchStreams(esdb, redis, projection, histories.flatMap((history) => history.accountIds));
    } finally {
      appending = false;
      await appended.catch(() => undefined);
      await Promise.all(processes.map((worker) => worker.kill()));
      redis.destroy();
    }
  });
});
