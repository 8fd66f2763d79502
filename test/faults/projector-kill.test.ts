// Projector worker processes are killed with SIGKILL in the middle of their batches, several times,
// while events keep being appended: what they held unacked is redelivered to the survivors and to
// their replacements, and the read models end equal to the fold of the streams, nothing lost or doubled.
import { describe, it } from 'vitest';
import { expectReadModelsMatchStreams } from '../../services/projector/expect-read-models.ts';
import { uniqueAccountsProjection, waitForProjectedEvents } from '../../services/projector/test-support.ts';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from '../harness.ts';
import { startEventLoad, waitForMoreProjected } from './event-load.ts';
import { loadProjectorProcess } from './projector-process.ts';

const KILLS = 3;

describe('projector processes killed with SIGKILL mid-batch under load', () => {
  it('leave read models equal to the fold of the streams', { timeout: 90_000 }, async () => {
    const esdb = newEsdbClient();
    const redis = await newRedisClient();
    const projection = uniqueAccountsProjection();
    const connection = { esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget() };
    // Two workers, and a spare loaded ahead for each kill, so a replacement joins the moment one dies.
    const processes = await Promise.all(Array.from({ length: 2 + KILLS }, () => loadProjectorProcess(connection, projection)));
    const running = processes.slice(0, 2);
    const spares = processes.slice(2);
    running.forEach((worker) => worker.go());
    const load = startEventLoad(esdb, projection);
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        // Kill only once the workers are busy: some events applied since the last kill, more coming.
        await waitForMoreProjected(redis, projection, 150);
        await running.shift()!.kill();
        const spare = spares.shift()!;
        spare.go();
        running.push(spare);
      }
      const { accountIds, totalEvents } = await load.stop();
      await waitForProjectedEvents(redis, projection, totalEvents, 45_000);
      await expectReadModelsMatchStreams(esdb, redis, projection, accountIds);
    } finally {
      await load.stop().catch(() => undefined);
      await Promise.all(processes.map((worker) => worker.kill()));
    }
  });
});
