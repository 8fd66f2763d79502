// Benchmark of how the projector's cost grows with history: for 10,000 and 100,000 events (1,000,000
// too with --full) over the same 1,000 accounts (so each account's history grows with the size):
//   - projector throughput: one worker process from the start of the group until the global stats
//     count every event, read against the same figure at the smallest size (flat is the target);
//   - Redis memory per account: redis-server's used_memory after catching up, minus what the empty
//     server used, divided by the accounts (and, in the note, by the events). Each account keeps its
//     transactions and balance history, so this grows with history by design; the figure says how fast.
// Each size gets a fresh store and redis-server (separate processes), preloaded with random valid
// account histories (projector-load.ts) before anything is timed.
// Usage: npm run bench:projector-scaling [-- --full] [-- --largest 100000 --accounts 1000 --buffer 1000]
import { fmt } from './bench-support.ts';
import type { Benchmark, Figure } from './figures.ts';
import { consumerPhase, PREFIX, rate, usedMemory, withStoreAndRedis } from './projector-phases.ts';
import { preloadAccountEvents } from './projector-load.ts';
import { runIfMain } from './standalone.ts';

type ProjectorScalingSettings = { readonly largest: number; readonly accounts: number; readonly buffer: number };

async function measureSize(events: number, accounts: number, buffer: number): Promise<{ eventsPerSecond: number; bytes: number; events: number }> {
  return withStoreAndRedis(buffer, async (bench) => {
    process.stderr.write(`preloading ${fmt(events)} events over ${fmt(accounts)} accounts\n`);
    const total = (await preloadAccountEvents(bench.admin, PREFIX, events, accounts)).length;
    const empty = await usedMemory(bench.redis);
    const row = await consumerPhase(bench, 'projector', 'projector', 1, total);
    return { eventsPerSecond: rate(row), bytes: (await usedMemory(bench.redis)) - empty, events: total };
  });
}

async function run({ largest, accounts, buffer }: ProjectorScalingSettings): Promise<Figure[]> {
  const sizes = [10_000, 100_000, 1_000_000].filter((size) => size <= largest);
  const figures: Figure[] = [];
  let smallest: { eventsPerSecond: number; bytes: number } | undefined;
  for (const size of sizes) {
    const measured = await measureSize(size, accounts, buffer);
    smallest ??= measured;
    const label = `${fmt(measured.events)} events, ${fmt(accounts)} accounts`;
    const baselineName = `${fmt(sizes[0]!)} events`;
    const atSmallest = size !== sizes[0];
    figures.push(
      {
        name: `projector throughput, 1 worker, ${label}`, value: measured.eventsPerSecond, unit: 'events/s', better: 'higher',
        ...(atSmallest ? { baseline: { name: baselineName, value: smallest.eventsPerSecond } } : {}),
      },
      {
        name: `Redis memory per account, ${label}`, value: measured.bytes / accounts, unit: 'bytes', better: 'lower',
        ...(atSmallest ? { baseline: { name: baselineName, value: smallest.bytes / accounts } } : {}),
        note: `${fmt(measured.bytes / measured.events)} bytes per event`,
      },
    );
  }
  return figures;
}

export const benchmark: Benchmark<ProjectorScalingSettings> = {
  name: 'projector-scaling',
  short: { largest: 100_000, accounts: 1_000, buffer: 1_000 },
  full: { largest: 1_000_000, accounts: 1_000, buffer: 1_000 },
  run,
};

await runIfMain(import.meta.url, benchmark);
