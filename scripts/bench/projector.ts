// Benchmark of the projector (services/projector): how fast workers bring the accounts read models
// to caught-up, against what the pieces around them allow.
//   - no-op consumer: the same kind of group ($all, filtered by prefix), acking each event unread
//   - projector, 1 and 2 worker processes (RoundRobin), until the global stats count every event
//   - Redis ceiling: the very same apply scripts and global refreshes, pipelined from one client with
//     no subscription in the way
//   - naive projector: one event at a time, every Redis call and the ack awaited in turn
// Every phase uses its own projection namespace and group, over the same preloaded events. The server
// (services/esdb-memory), redis-server and the workers are separate processes on the same machine.
// Each figure is read against the no-op consumer with as many processes (the subscription's ceiling),
// the Redis ceiling against one projector worker.
// Every consumer process, the no-op one too, runs with the projector's V8 flags (services/projector/node-flags.ts),
// so the ratios compare code, not runtime tuning. BENCH_CHILD_ARGS adds node flags to them all, e.g.
// '--cpu-prof --cpu-prof-dir=/tmp/prof'.
// Usage: npm run bench:projector [-- --full] [-- --events 200000 --accounts 2000 --buffer 1000 --naive-events 20000]
import { fmt } from './bench-support.ts';
import type { Benchmark, Figure } from './figures.ts';
import { consumerPhase, PREFIX, rate, redisCeiling, withStoreAndRedis, type Row } from './projector-phases.ts';
import { preloadAccountEvents } from './projector-load.ts';
import { runIfMain } from './standalone.ts';

type ProjectorSettings = {
  readonly events: number;
  readonly accounts: number;
  readonly buffer: number;
  readonly naiveEvents: number;
};

const figure = (row: Row, baseline: Row): Figure => ({
  name: `${row.measure} (${fmt(row.events)} events)`,
  value: rate(row),
  unit: 'events/s',
  better: 'higher',
  baseline: { name: baseline.measure, value: rate(baseline) },
  note: noteOf(row, baseline),
});

/** Peak RSS, and CPU µs per event of the consumers (the figure's and its baseline's), the store and Redis. */
function noteOf(row: Row, baseline: Row): string {
  const parts = row.rssMb === undefined ? [] : [`peak RSS ${row.rssMb.toFixed(0)} MB`];
  if (row.cpu !== undefined) {
    const consumers = baseline.cpu === undefined ? fmt(row.cpu.consumers) : `${fmt(row.cpu.consumers)} (baseline's ${fmt(baseline.cpu.consumers)})`;
    parts.push(`CPU µs/event: consumers ${consumers}, store ${fmt(row.cpu.store)}, Redis ${fmt(row.cpu.redis)}`);
  }
  return parts.join('; ');
}

async function run({ events: eventCount, accounts, buffer, naiveEvents }: ProjectorSettings): Promise<Figure[]> {
  return withStoreAndRedis(buffer, async (bench) => {
    process.stderr.write(`preloading ${fmt(eventCount)} events over ${fmt(accounts)} accounts\n`);
    const events = await preloadAccountEvents(bench.admin, PREFIX, eventCount, accounts);
    const total = events.length;
    const figures: Figure[] = [];
    const noops: Row[] = [];
    for (const workers of [1, 2]) {
      const noop = await consumerPhase(bench, `no-op consumer (ack only), ${workers} process(es)`, 'noop', workers, total);
      noops.push(noop);
      figures.push(figure(await consumerPhase(bench, `projector, ${workers} worker(s)`, 'projector', workers, total), noop));
    }
    const [oneNoop] = noops as [Row];
    const projector1 = figures[0]!;
    const ceiling = await redisCeiling(bench, events);
    figures.push({ ...figure(ceiling, oneNoop), baseline: { name: 'projector, 1 worker(s)', value: projector1.value } });
    const naive = await consumerPhase(bench, 'naive projector (1 event at a time), 1 process', 'naive', 1, Math.min(naiveEvents, total));
    figures.push(figure(naive, oneNoop));
    return figures;
  });
}

export const benchmark: Benchmark<ProjectorSettings> = {
  name: 'projector',
  short: { events: 20_000, accounts: 1_000, buffer: 1_000, naiveEvents: 2_000 },
  full: { events: 200_000, accounts: 2_000, buffer: 1_000, naiveEvents: 20_000 },
  run,
};

await runIfMain(import.meta.url, benchmark);
