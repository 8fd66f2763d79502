// Benchmark of projector scale-out: 1, 2 and 4 worker processes in one group, under RoundRobin and
// under Pinned (PROJECTOR_CONSUMER_STRATEGY), each from the start of a fresh group over the same
// preloaded events until the global stats count every event. Each figure is read against the no-op
// consumer (acks each event unread) with as many processes and the same strategy: the subscription's
// ceiling on this machine. The notes give the peak RSS of one worker and the CPU time per event of the
// workers together, of the store and of redis-server; after each run the read models are checked
// against the events (revision, balance and transaction count of every account), so a fast wrong run
// fails the benchmark instead of passing. The first run (one worker, RoundRobin) also gives Redis
// memory per event and per account: used_memory (INFO memory) before and after, and MEMORY USAGE of
// a sample of accounts' own keys. Store, redis-server and workers are separate processes on
// one machine, whose cores (os.availableParallelism) every note states: more workers than cores share them.
// Usage: npm run bench:projector-workers [-- --full] [-- --events 100000 --accounts 2000 --buffer 1000]
import { availableParallelism } from 'node:os';
import { fmt } from './bench-support.ts';
import type { Benchmark, Figure } from './figures.ts';
import { accountKeys, type AccountKeys, type ReadModelNamespace } from '../../services/projector/index.ts';
import type { RedisClient } from '../../services/platform/index.ts';
import { consumerPhase, PREFIX, rate, usedMemory, withStoreAndRedis, type ConsumerStrategy, type Row } from './projector-phases.ts';
import { preloadAccountEvents } from './projector-load.ts';
import { expectedAccounts, verifyReadModels } from './read-model-check.ts';
import { runIfMain } from './standalone.ts';

type ProjectorWorkersSettings = { readonly events: number; readonly accounts: number; readonly buffer: number };

const STRATEGIES: readonly ConsumerStrategy[] = ['RoundRobin', 'Pinned'];
const WORKER_COUNTS = [1, 2, 4];

const note = (row: Row): string => {
  const cpu = row.cpu!;
  return `${availableParallelism()} cores; worker peak RSS ${row.rssMb!.toFixed(0)} MB; CPU µs/event: workers ${cpu.consumers.toFixed(0)}, store ${cpu.store.toFixed(0)}, Redis ${cpu.redis.toFixed(0)}`;
};

const SAMPLED_ACCOUNTS = 50;

/** Redis bytes per event (used_memory grown over a run) and, in the note, per account and per key. */
async function redisFootprint(redis: RedisClient, namespace: ReadModelNamespace, ids: readonly string[], grown: number, events: number): Promise<Figure> {
  const sample = ids.slice(0, SAMPLED_ACCOUNTS);
  const average = async (kind: keyof AccountKeys) =>
    (await Promise.all(sample.map(async (id) => (await redis.memoryUsage(accountKeys(namespace, id)[kind])) ?? 0))).reduce((a, b) => a + b, 0) / sample.length;
  const [summary, transactions, history, audit] = await Promise.all((['summary', 'transactions', 'balanceHistory', 'audit'] as const).map(average));
  return {
    name: `Redis memory per event (${fmt(events)} events, ${fmt(ids.length)} accounts)`, value: grown / events, unit: 'bytes', better: 'lower',
    note: `used_memory grew ${fmt(grown / ids.length)} bytes per account; MEMORY USAGE per account (mean of ${sample.length}): summary ${fmt(summary!)}, transactions ${fmt(transactions!)}, balance history ${fmt(history!)}, audit ${fmt(audit!)}; the rest is the global indexes`,
  };
}

async function run({ events, accounts, buffer }: ProjectorWorkersSettings): Promise<Figure[]> {
  return withStoreAndRedis(buffer, async (bench) => {
    process.stderr.write(`preloading ${fmt(events)} events over ${fmt(accounts)} accounts\n`);
    const delivered = await preloadAccountEvents(bench.admin, PREFIX, events, accounts);
    const expected = expectedAccounts(delivered, PREFIX);
    const total = delivered.length;
    const figures: Figure[] = [];
    let footprint: Figure | undefined;
    for (const strategy of STRATEGIES) {
      for (const workers of WORKER_COUNTS) {
        const noop = await consumerPhase(bench, `no-op consumer, ${workers} process(es)`, 'noop', workers, total, { strategy });
        const name = `bench-workers-${strategy}-${workers}-${Date.now()}`;
        const memoryBefore = await usedMemory(bench.redis);
        const row = await consumerPhase(bench, `projector, ${strategy}, ${workers} worker(s)`, 'projector', workers, total, { strategy, name });
        await verifyReadModels(bench.redis, name, expected, total);
        process.stderr.write(`  ${row.measure}: ${fmt(rate(row))} events/s, read models checked\n`);
        figures.push({
          name: `${row.measure} (${fmt(total)} events)`, value: rate(row), unit: 'events/s', better: 'higher',
          baseline: { name: noop.measure, value: rate(noop) }, note: note(row),
        });
        if (figures.length === 1) {
          const grown = (await usedMemory(bench.redis)) - memoryBefore;
          footprint = await redisFootprint(bench.redis, { projection: name, version: 1 }, [...expected.keys()], grown, total);
        }
      }
    }
    return [...figures, footprint!];
  });
}

export const benchmark: Benchmark<ProjectorWorkersSettings> = {
  name: 'projector-workers',
  short: { events: 10_000, accounts: 500, buffer: 1_000 },
  full: { events: 100_000, accounts: 2_000, buffer: 1_000 },
  run,
};

await runIfMain(import.meta.url, benchmark);
