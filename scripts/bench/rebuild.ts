// Benchmark of `npm run ops -- rebuild` (services/ops/rebuild): how long a blue/green rebuild of the
// accounts projection takes over a preloaded `$all`, next to the projector's steady-state rate
// measured in the same run over the same events.
//   1. preload N events (the embedded server and a redis-server, separate processes)
//   2. steady state: one projector worker process (projector-phases.ts) projects them into v1 until
//      the global stats count every event
//   3. rebuild: v2 from the start of `$all` by the rebuild itself (one process, no other workers), up
//      to the switch, and then to the end (grace period, old group deleted, old keys unlinked)
// Usage: npm run bench:rebuild [-- --events 200000 --accounts 2000]   (the issue asks for --events 1000000)
import { parseArgs } from 'node:util';
import { defaultRebuildSettings, rebuildProjection } from '../../services/ops/index.ts';
import { ProgressBar } from '../../services/ops/progress-bar.ts';
import { createLogger } from '../../services/platform/index.ts';
import { defineAccountsProjection, globalKeys, namespaceOf } from '../../services/projector/index.ts';
import { fmt } from './bench-support.ts';
import { consumerPhase, PREFIX, withStoreAndRedis, type Row } from './projector-phases.ts';
import { preloadAccountEvents } from './projector-load.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, accounts: { type: 'string', default: '2000' } } });
const NAME = 'bench-rebuild';
const projection = defineAccountsProjection({ name: NAME, streamPrefix: PREFIX });
const log = createLogger('bench-rebuild');
log.level = 'warn';

await withStoreAndRedis(1_000, async (bench) => {
  const { admin: esdb, redis } = bench;
  process.stderr.write(`preloading ${fmt(Number(values.events))} events over ${values.accounts} accounts\n`);
  const total = (await preloadAccountEvents(esdb, PREFIX, Number(values.events), Number(values.accounts))).length;
  const steady = await consumerPhase(bench, 'projector steady state, 1 worker process', 'projector', 1, total, NAME);
  process.stderr.write(`projector: ${fmt(total / steady.seconds)} events/s; rebuilding\n`);

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
  const rows: Row[] = [
    steady,
    { measure: 'rebuild: start to switch (in-process worker)', events: total, seconds: switchedAfter },
    { measure: 'rebuild: start to done (incl. 1 s grace, cleanup)', events: total, seconds },
  ];
  console.table(rows.map((row) => ({
    measure: row.measure, events: fmt(row.events), seconds: row.seconds.toFixed(2), 'events/s': fmt(row.events / row.seconds),
    'vs projector': `${Math.round((100 * steady.seconds) / row.seconds)}%`,
  })));
  console.log(`old version removed: ${fmt(outcome.removedKeys)} keys.`);
});
