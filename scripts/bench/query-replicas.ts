// Benchmark of query-API scale-out: account(id) queries/s, p50 and p99 through 1 and 2 query-api
// replicas (separate processes reading the same redis-server), the load spread round-robin over them
// by connection. Each figure is read against bare graphql-yoga hello-world servers (the query-api
// bench's baseline) in as many processes under the same load: what any yoga server can answer here.
// The accounts are written straight into Redis in the projector's shape (as bench:query-scaling does).
// The notes give the query API's CPU time per query (both replicas together) and the machine's cores
// (os.availableParallelism), which the replicas share with redis-server and the load generator.
// Usage: npm run bench:query-replicas [-- --full] [-- --seconds 8 --connections 20 --accounts 10000]
import { availableParallelism } from 'node:os';
import { createLogger, createRedisClient, findFreePort, startRedisServer } from '../../services/platform/index.ts';
import { processCpuMicros } from './bench-support.ts';
import { startChildProcess } from './child-processes.ts';
import type { Benchmark, Figure } from './figures.ts';
import { cannon, post, spreadOver, type Load } from './http-load.ts';
import { accountQueryLoad, expectAccountReadable, startQueryApiProcess } from './query-api.ts';
import { writeAccounts } from './query-scaling.ts';
import { runIfMain } from './standalone.ts';

type QueryReplicasSettings = { readonly seconds: number; readonly connections: number; readonly accounts: number };

const REPLICA_COUNTS = [1, 2];

async function startBareYoga(): Promise<{ url: string; pid: number }> {
  const port = await findFreePort();
  const bare = startChildProcess('scripts/bench/bare-yoga.ts', [], { PORT: String(port) }, /listening/);
  await bare.ready;
  return { url: `http://127.0.0.1:${port}/graphql`, pid: bare.pid };
}

async function run({ seconds, connections, accounts }: QueryReplicasSettings): Promise<Figure[]> {
  const server = await startRedisServer();
  const redis = createRedisClient(server.url, createLogger('bench'));
  await redis.connect();
  try {
    const ids = await writeAccounts(redis, accounts);
    const replicas = await Promise.all(REPLICA_COUNTS.map(() => startQueryApiProcess(server.url)));
    const bares = await Promise.all(REPLICA_COUNTS.map(() => startBareYoga()));
    for (const replica of replicas) await expectAccountReadable(replica.url, ids.at(-1));
    const load: Load = { seconds, connections };
    // Unmeasured: every server's JIT warms up before anything is timed.
    await cannon('warm-up', { seconds: 1, connections }, { ...accountQueryLoad(replicas[0]!.url, ids), ...spreadOver(replicas.map((replica) => replica.url)) });
    await cannon('warm-up', { seconds: 1, connections }, { ...post('{"query":"{ hello }"}'), ...spreadOver(bares.map((bare) => bare.url)) });
    const figures: Figure[] = [];
    for (const count of REPLICA_COUNTS) {
      const [used, usedBare] = [replicas.slice(0, count), bares.slice(0, count)];
      const bare = await cannon(`bare graphql-yoga, ${count} process(es)`, load, { ...post('{"query":"{ hello }"}'), ...spreadOver(usedBare.map((one) => one.url)) });
      const usedCpu = () => used.reduce((sum, replica) => sum + processCpuMicros(replica.pid), 0);
      const before = usedCpu();
      const account = await cannon('account(id)', load, { ...accountQueryLoad(used[0]!.url, ids), ...spreadOver(used.map((replica) => replica.url)) });
      const cpu = (usedCpu() - before) / (account.perSecond * seconds);
      const note = `${availableParallelism()} cores; ${connections} connections; query-api CPU ${cpu.toFixed(0)} µs/query; errors ${account.errors}`;
      const label = `${count} replica(s)`;
      figures.push(
        { name: `account(id) throughput, ${label}`, value: account.perSecond, unit: 'req/s', better: 'higher', baseline: { name: bare.name, value: bare.perSecond }, note },
        { name: `account(id) p50, ${label}`, value: account.p50, unit: 'ms', better: 'lower', baseline: { name: bare.name, value: bare.p50 } },
        { name: `account(id) p99, ${label}`, value: account.p99, unit: 'ms', better: 'lower', baseline: { name: bare.name, value: bare.p99 } },
      );
    }
    return figures;
  } finally {
    redis.destroy();
    await server.stop();
  }
}

export const benchmark: Benchmark<QueryReplicasSettings> = {
  name: 'query-replicas',
  short: { seconds: 5, connections: 20, accounts: 10_000 },
  full: { seconds: 10, connections: 20, accounts: 100_000 },
  run,
};

await runIfMain(import.meta.url, benchmark);
