// Benchmark of the command API: depositMoney mutations/s over HTTP, next to two baselines measured in
// the same run on the same machine:
//   - a bare graphql-yoga hello-world (the most any yoga server can answer here), and
//   - a raw appendToStream loop against the same EventStoreDB-compatible server (the store's ceiling
//     for one event per write, without HTTP, GraphQL or the read before each append).
// Servers run as child processes (store, command API, bare yoga); autocannon and the raw loop run here.
// Then depositMoney again at half of its peak rate, for the latency a not-saturated server gives, twice:
// with autocannon's overallRate, which lets every connection send its quota for the second at the top of
// the second (bursts of CONNECTIONS concurrent requests, so its p99 is the time to clear a burst), and
// paced evenly, one request every 1/rate s, latency counted from when the request was due.
// Each row also shows the server process's CPU per request, steadier than req/s on a shared machine, and the
// paced row how long each process waited for a CPU: on a shared machine that, not our code, may set its p99.
// Usage: npm run bench:command-api [-- --full] [-- --seconds 10 --connections 50 --accounts 1000]
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { ANY, EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { findFreePort } from '../../services/platform/index.ts';
import { COMMAND_API_NODE_FLAGS } from '../../services/command-api/node-flags.ts';
import { processCpuMicros, runQueueWaitMicros } from './bench-support.ts';
import { startChildProcess, startCommandApiProcess, startEsdbChild } from './child-processes.ts';
import type { Benchmark, Figure } from './figures.ts';
import { cannon, graphql, paced, post, postEach, rowOf, type Load, type LoadRow, type PacedRow } from './http-load.ts';
import { runIfMain } from './standalone.ts';

const WARM_UP = { seconds: 3, connections: 50 };

type CommandApiSettings = { readonly seconds: number; readonly connections: number; readonly accounts: number };

/** Runs a phase and adds the server process's CPU time per request (µs) to its row. */
async function withServerCpu(pid: number, run: () => Promise<LoadRow>): Promise<LoadRow & { serverMicros: number }> {
  const before = processCpuMicros(pid);
  const started = performance.now();
  const row = await run();
  const requests = (row.perSecond * (performance.now() - started)) / 1000;
  return { ...row, serverMicros: requests > 0 ? (processCpuMicros(pid) - before) / requests : 0 };
}

/**
 * Runs the paced phase and says how long each process (command API, store, this generator) was ready to
 * run but waited for a CPU, in ms per second: latency the code does not cause, which other load adds.
 */
async function withRunQueueWaits(pids: Record<string, number>, run: () => Promise<PacedRow>): Promise<PacedRow & { waits: string }> {
  const before = Object.values(pids).map(runQueueWaitMicros);
  const started = performance.now();
  const row = await run();
  const seconds = (performance.now() - started) / 1000;
  const waits = Object.entries(pids).map(([name, pid], index) => `${name} ${((runQueueWaitMicros(pid) - before[index]!) / 1000 / seconds).toFixed(0)}`);
  return { ...row, waits: waits.join(', ') };
}

const depositQuery =
  'mutation($input: DepositMoneyInput!) { depositMoney(input: $input) { __typename ... on CommandAccepted { revision } } }';
const depositBody = (accountIds: string[]) => () => {
  const accountId = accountIds[Math.floor(Math.random() * accountIds.length)];
  return JSON.stringify({ query: depositQuery, variables: { input: { accountId, amount: '1.00', currency: 'EUR' } } });
};

/** Single-event appends from `connections` concurrent loops, each awaiting its append before the next. */
async function rawAppends(client: EventStoreDBClient, accountIds: string[], load: Load): Promise<LoadRow> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + load.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const accountId = accountIds[Math.floor(Math.random() * accountIds.length)];
      const event = jsonEvent({ type: 'MoneyDeposited', data: { accountId, amount: '1.00', balanceAfter: '0.00', currency: 'EUR' } });
      const start = performance.now();
      await client.appendToStream(`rawbench-${accountId}`, event, { expectedRevision: ANY }).catch(() => (errors += 1));
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: load.connections }, loop));
  return rowOf('raw appendToStream loop', latencies, load.seconds, errors);
}

/** Opens `count` EUR accounts through the command API, 100 at a time. */
export async function openAccounts(url: string, count: number): Promise<string[]> {
  const accountIds = Array.from({ length: count }, () => randomUUID());
  for (let start = 0; start < accountIds.length; start += 100) {
    await Promise.all(accountIds.slice(start, start + 100).map(async (accountId) => {
      const answer = await graphql(url, 'mutation($input: OpenAccountInput!) { openAccount(input: $input) { __typename } }', {
        input: { accountId, holderName: 'Bench', currency: 'EUR' },
      });
      if (answer.data?.openAccount?.__typename !== 'CommandAccepted') throw new Error(`open failed: ${JSON.stringify(answer)}`);
    }));
  }
  return accountIds;
}

async function run({ seconds, connections, accounts }: CommandApiSettings): Promise<Figure[]> {
  const load = { seconds, connections };
  const esdb = await startEsdbChild();
  const connectionString = esdb.connectionString;
  const barePort = await findFreePort();
  // Every server gets the command API's V8 flags, so the ratios compare code, not runtime tuning.
  const bareYoga = startChildProcess('scripts/bench/bare-yoga.ts', [], { PORT: String(barePort) }, /listening/, COMMAND_API_NODE_FLAGS);
  await bareYoga.ready;
  const api = await startCommandApiProcess({ ESDB_CONNECTION_STRING: connectionString });
  const client = EventStoreDBClient.connectionString(connectionString);
  const accountIds = await openAccounts(api.url, accounts);
  const deposit = { url: api.url, ...postEach(depositBody(accountIds)) };

  const bareLoad = { url: `http://127.0.0.1:${barePort}/graphql`, ...post('{"query":"{ hello }"}') };
  // Both servers first run the same short load, not counted: the figures are of steady state, not of
  // V8 compiling each code path while it is measured.
  await cannon('warm-up', WARM_UP, bareLoad);
  await cannon('warm-up', WARM_UP, deposit);
  const bare = await withServerCpu(bareYoga.pid, () => cannon('bare graphql-yoga { hello }', load, bareLoad));
  const deposits = await withServerCpu(api.pid, () => cannon('depositMoney', load, deposit));
  const raw = await rawAppends(client, accountIds, load);
  const halfRate = Math.max(1, Math.floor(deposits.perSecond / 2));
  const bursts = await cannon(`depositMoney at half of peak (${halfRate}/s), autocannon bursts`, load, { ...deposit, overallRate: halfRate });
  const steady = await withRunQueueWaits({ API: api.pid, store: esdb.pid, generator: process.pid }, () =>
    paced(`depositMoney at half of peak (${halfRate}/s), paced`, api.url, halfRate, load, depositBody(accountIds)),
  );
  await client.dispose();

  const errors = `errors ${deposits.errors + bursts.errors + steady.errors}`;
  return [
    { name: 'depositMoney throughput', value: deposits.perSecond, unit: 'req/s', better: 'higher', baseline: { name: bare.name, value: bare.perSecond }, note: `target ≥ 0.5×; server ${deposits.serverMicros.toFixed(0)} µs/req (bare ${bare.serverMicros.toFixed(0)}); ${errors}` },
    { name: 'depositMoney p50 at peak', value: deposits.p50, unit: 'ms', better: 'lower', baseline: { name: `${raw.name} p50`, value: raw.p50 }, note: `raw appends ${raw.perSecond.toFixed(0)}/s` },
    { name: 'depositMoney p99 at half of peak, paced', value: steady.p99, unit: 'ms', better: 'lower', baseline: { name: 'autocannon bursts p99', value: bursts.p99 }, note: `target < 20 ms; ${halfRate}/s; p50 ${steady.p50.toFixed(1)}, p999 ${steady.p999.toFixed(1)} ms; generator late p99 ${steady.lateP99.toFixed(1)} ms; waiting for a CPU (ms/s): ${steady.waits}; load ${loadavg()[0]!.toFixed(1)}` },
  ];
}

export const benchmark: Benchmark<CommandApiSettings> = {
  name: 'command-api',
  short: { seconds: 5, connections: 50, accounts: 500 },
  full: { seconds: 10, connections: 50, accounts: 1_000 },
  run,
};

await runIfMain(import.meta.url, benchmark);
