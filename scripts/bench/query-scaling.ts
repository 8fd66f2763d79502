// Benchmark of how query cost grows with the number of accounts: account(id) latency (p50, p99) and
// throughput through the query API with 1,000 and 100,000 accounts in Redis (1,000,000 with --full),
// each read against the same figure with 1,000 accounts (flat is the target).
// To create a million accounts in seconds, the read-model keys are written straight into Redis with a
// pipelined client, in the shape the projector writes them (an account summary hash per account and
// the opened-at index), rather than by projecting a million AccountOpened events; account(id) reads
// only those keys. The accounts are added size after size to one redis-server, which the query API
// (its own process) reads throughout; queries pick random accounts among all of them.
// Usage: npm run bench:query-scaling [-- --full] [-- --largest 100000 --seconds 5 --connections 10]
import { randomUUID } from 'node:crypto';
import { createLogger, createRedisClient, startRedisServer, type RedisClient } from '../../services/platform/index.ts';
import { accountKeys, globalKeys } from '../../services/projector/read-model-keys.ts';
import { fmt } from './bench-support.ts';
import type { Benchmark, Figure } from './figures.ts';
import { cannon } from './http-load.ts';
import { accountQueryLoad, expectAccountReadable, startQueryApiProcess } from './query-api.ts';
import { runIfMain } from './standalone.ts';

type QueryScalingSettings = { readonly largest: number; readonly seconds: number; readonly connections: number };

const NAMESPACE = { projection: 'accounts', version: 1 };
const PIPELINE = 10_000;

/** Writes `count` open EUR account summaries (and their opened-at index entries); returns their ids. */
export async function writeAccounts(redis: RedisClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  const openedAt = Date.UTC(2026, 0, 1);
  for (let done = 0; done < count; done += PIPELINE) {
    const pipeline = redis.multi();
    for (let index = done; index < Math.min(count, done + PIPELINE); index += 1) {
      const id = randomUUID();
      ids.push(id);
      const at = new Date(openedAt + index).toISOString();
      pipeline.hSet(accountKeys(NAMESPACE, id).summary, {
        id, holder: `Holder ${index}`, currency: 'EUR', balance: '10.00', balanceMinor: '1000', status: 'open',
        openedAt: at, updatedAt: at, transactionCount: '1', revision: '1',
      });
      pipeline.zAdd(globalKeys(NAMESPACE).byOpenedAt, { score: openedAt + index, value: id });
    }
    await pipeline.execAsPipeline();
  }
  return ids;
}

async function run({ largest, seconds, connections }: QueryScalingSettings): Promise<Figure[]> {
  const server = await startRedisServer();
  const redis = createRedisClient(server.url, createLogger('bench'));
  await redis.connect();
  try {
    const { url: queryUrl } = await startQueryApiProcess(server.url);
    const sizes = [1_000, 100_000, 1_000_000].filter((size) => size <= largest);
    const ids: string[] = [];
    const figures: Figure[] = [];
    let smallest: { p50: number; p99: number; perSecond: number } | undefined;
    for (const size of sizes) {
      process.stderr.write(`writing accounts up to ${fmt(size)}\n`);
      // Not push(...spread): a million arguments overflow the call stack.
      for (const id of await writeAccounts(redis, size - ids.length)) ids.push(id);
      await expectAccountReadable(queryUrl, ids.at(-1));
      // Unmeasured: lets the query API's JIT warm up before the first size is timed.
      if (smallest === undefined) await cannon('warm-up', { seconds: 1, connections }, accountQueryLoad(queryUrl, ids));
      const row = await cannon('account(id)', { seconds, connections }, accountQueryLoad(queryUrl, ids));
      smallest ??= row;
      const baseline = (value: number) => (size === sizes[0] ? {} : { baseline: { name: `${fmt(sizes[0]!)} accounts`, value } });
      const note = `${connections} connections; errors ${row.errors}`;
      figures.push(
        { name: `account(id) p50, ${fmt(size)} accounts`, value: row.p50, unit: 'ms', better: 'lower', ...baseline(smallest.p50), note },
        { name: `account(id) p99, ${fmt(size)} accounts`, value: row.p99, unit: 'ms', better: 'lower', ...baseline(smallest.p99), note },
        { name: `account(id) throughput, ${fmt(size)} accounts`, value: row.perSecond, unit: 'req/s', better: 'higher', ...baseline(smallest.perSecond), note },
      );
    }
    return figures;
  } finally {
    redis.destroy();
    await server.stop();
  }
}

export const benchmark: Benchmark<QueryScalingSettings> = {
  name: 'query-scaling',
  short: { largest: 100_000, seconds: 5, connections: 10 },
  full: { largest: 1_000_000, seconds: 8, connections: 10 },
  run,
};

await runIfMain(import.meta.url, benchmark);
