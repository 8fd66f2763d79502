// Benchmark of `npm run ops -- rebuild` (services/ops/rebuild): how long a blue/green rebuild of the
// accounts projection takes over a preloaded `$all`, next to the projector's steady-state rate
// measured in the same run over the same events.
//   1. preload N events (the embedded server and a redis-server, separate processes)
//   2. steady state: one projector worker process (projector-phases.ts) projects them into v1 until
//      the global stats count every event
//   3. rebuild: v2 from the start of `$all` by the rebuild itself (one process, no other workers), up
//      to the switch, and then to the end (grace period, old group deleted, old keys unlinked)
// Usage: npm run bench:rebuild [-- --full] [-- --events 200000 --accounts 2000]   (--full: the 1M events the issue asks)
import { defaultRebuildSettings, rebuildProjection } from '../../services/ops/index.ts';
import { ProgressBar } from '../../services/ops/progress-bar.ts';
import { createLogger } from '../../services/platform/index.ts';
import { defineAccountsProjection, globalKeys, namespaceOf } from '../../services/projector/index.ts';
import { fmt } from './bench-support.ts';
import type { Benchmark, Figure } from './figures.ts';
import { consumerPhase, PREFIX, rate, withStoreAndRedis, type Row } from './projector-phases.ts';
import { preloadAccountEvents } from './projector-load.ts';
import { runIfMain } from './standalone.ts';

type RebuildSettings = { readonly events: number; readonly accounts: number };

const NAME = 'bench-rebuild';

async function run({ events, accounts }: RebuildSettings): Promise<Figure[]> {
  const projection = defineAccountsProjection({ name: NAME, streamPrefix: PREFIX });
  const log = createLogger('bench-rebuild');
  log.level = 'warn';
  return withStoreAndRedis(1_000, async (bench) => {
    const { admin: esdb, redis } = bench;
    process.stderr.write(`preloading ${fmt(events)} events over ${fmt(accounts)} accounts\n`);
    const total = (await preloadAccountEvents(esdb, PREFIX, events, accounts)).length;
    const steady = await consumerPhase(bench, 'projector steady state, 1 worker process', 'projector', 1, total, { name: NAME });
    process.stderr.write(`projector: ${fmt(rate(steady))} events/s; rebuilding\n`);

    const bar = new ProgressBar({ write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY });
    const started = performance.now();
    let switchedAfter = Number.NaN;
    const outcome = await rebuildProjection(
      { esdb, redis, esdbConnectionString: bench.connectionString, redisUrl: bench.redisUrl, log },
      projection,
      { ...defaultRebuildSettings, graceMs: 1_000 },
      {
        onStep: (text) => {
          bar.done();
          if (text.startsWith('Switched')) switchedAfter = (performance.now() - started) / 1000;
        },
        onProgress: (done, all) => bar.update(done, all),
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const projected = Number((await redis.hGet(globalKeys(namespaceOf(projection.atVersion(2))).stats, 'events')) ?? 0);
    if (outcome.kind !== 'rebuilt' || projected !== total) throw new Error(`the rebuild did not project every event: ${JSON.stringify(outcome)}`);
    const figureOf = (row: Row, note: string): Figure => ({
      name: `${row.measure} (${fmt(total)} events)`, value: rate(row), unit: 'events/s', better: 'higher',
      baseline: { name: steady.measure, value: rate(steady) }, note,
    });
    return [
      figureOf({ measure: 'rebuild, start to switch (in-process worker)', events: total, seconds: switchedAfter }, `${switchedAfter.toFixed(1)} s`),
      figureOf(
        { measure: 'rebuild, start to done (1 s grace, old group and keys removed)', events: total, seconds },
        `${seconds.toFixed(1)} s; ${fmt(outcome.removedKeys)} old keys removed`,
      ),
    ];
  });
}

export const benchmark: Benchmark<RebuildSettings> = {
  name: 'rebuild',
  short: { events: 20_000, accounts: 1_000 },
  full: { events: 1_000_000, accounts: 2_000 },
  run,
};

await runIfMain(import.meta.url, benchmark);
