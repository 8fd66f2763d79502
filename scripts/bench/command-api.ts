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
// Each row also shows the server process's CPU per request, steadier than req/s on a shared machine.
// Usage: npm run bench:command-api [-- --seconds 10 --connections 50 --accounts 1000]
import { Agent, request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ANY, EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import autocannon from 'autocannon';
import { COMMAND_API_NODE_FLAGS } from '../../services/command-api/node-flags.ts';
import { findFreePort } from '../../services/platform/index.ts';
import { processCpuMicros } from './bench-support.ts';
import { startChildProcess, waitForHttp } from './child-processes.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    accounts: { type: 'string', default: '1000' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ACCOUNTS = Number(values.accounts);

interface Row {
  readonly name: string;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** CPU time of the server process per request, in µs; undefined where no server process serves. */
  readonly serverMicros?: number;
}

/** Every server gets the command API's V8 flags, so the ratios compare code, not runtime tuning. */
const startServerProcess = (file: string, args: string[], env: Record<string, string>, readyPattern: RegExp) =>
  startChildProcess(file, args, env, readyPattern, COMMAND_API_NODE_FLAGS);
const startChild = (file: string, args: string[], env: Record<string, string>, readyPattern: RegExp) =>
  startServerProcess(file, args, env, readyPattern).ready;

/** Runs a phase and adds the server process's CPU time per request to its row. */
async function withServerCpu(pid: number, run: () => Promise<Row>): Promise<Row> {
  const before = processCpuMicros(pid);
  const row = await run();
  const requests = row.perSecond * SECONDS;
  return { ...row, serverMicros: requests > 0 ? (processCpuMicros(pid) - before) / requests : 0 };
}

async function cannon(name: string, options: autocannon.Options): Promise<Row> {
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name, perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

const post = (body: string) => ({ method: 'POST' as const, headers: { 'content-type': 'application/json' }, body });

const depositQuery =
  'mutation($input: DepositMoneyInput!) { depositMoney(input: $input) { __typename ... on CommandAccepted { revision } } }';
const depositBody = (accountIds: string[]) => () => {
  const accountId = accountIds[Math.floor(Math.random() * accountIds.length)];
  return JSON.stringify({ query: depositQuery, variables: { input: { accountId, amount: '1.00', currency: 'EUR' } } });
};

/** Single-event appends from CONNECTIONS concurrent loops, each awaiting its append before the next. */
async function rawAppends(client: EventStoreDBClient, accountIds: string[]): Promise<Row> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const accountId = accountIds[Math.floor(Math.random() * accountIds.length)];
      const event = jsonEvent({ type: 'MoneyDeposited', data: { accountId, amount: '1.00', balanceAfter: '0.00', currency: 'EUR' } });
      const start = performance.now();
      await client.appendToStream(`rawbench-${accountId}`, event, { expectedRevision: ANY }).catch(() => (errors += 1));
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { name: 'raw appendToStream loop', perSecond: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), errors };
}

/** Open loop: one request every 1/rate s over at most CONNECTIONS keep-alive sockets; latency from when it was due. */
async function paced(name: string, url: string, rate: number, body: () => string): Promise<Row> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const payload = body();
      const request = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } });
      request.on('error', () => ((errors += 1), resolve()));
      request.on('response', (response) => {
        if (response.statusCode !== 200) errors += 1;
        response.resume().on('end', () => (latencies.push(performance.now() - due), resolve()));
      });
      request.end(payload);
    });
  const start = performance.now();
  const total = Math.floor(rate * SECONDS);
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = start + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { name, perSecond: latencies.length / ((performance.now() - start) / 1000), p50: at(0.5), p99: at(0.99), errors };
}

async function main(): Promise<void> {
  const [esdbPort, apiPort, barePort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const connectionString = await startChild('services/esdb-memory/main.ts', ['--port', String(esdbPort)], {}, /"connectionString":"([^"]+)"/);
  const bareYoga = startServerProcess('scripts/bench/bare-yoga.ts', [], { PORT: String(barePort) }, /listening/);
  await bareYoga.ready;
  const commandApi = startServerProcess('services/command-api/main.ts', [], { COMMAND_API_PORT: String(apiPort), COMMAND_API_HOST: '127.0.0.1', ESDB_CONNECTION_STRING: connectionString }, /$^/);
  void commandApi.ready;
  const api = `http://127.0.0.1:${apiPort}`;
  await waitForHttp(`${api}/ready`);

  const client = EventStoreDBClient.connectionString(connectionString);
  const accountIds = Array.from({ length: ACCOUNTS }, () => randomUUID());
  for (let start = 0; start < accountIds.length; start += 100) {
    await Promise.all(accountIds.slice(start, start + 100).map(async (accountId) => {
      const body = JSON.stringify({
        query: 'mutation($input: OpenAccountInput!) { openAccount(input: $input) { __typename } }',
        variables: { input: { accountId, holderName: 'Bench', currency: 'EUR' } },
      });
      const answer = await (await fetch(`${api}/graphql`, post(body))).json();
      if (answer.data?.openAccount?.__typename !== 'CommandAccepted') throw new Error(`open failed: ${JSON.stringify(answer)}`);
    }));
  }

  const rows: Row[] = [];
  rows.push(await withServerCpu(bareYoga.pid, () => cannon('bare graphql-yoga { hello }', { url: `http://127.0.0.1:${barePort}/graphql`, ...post('{"query":"{ hello }"}') })));
  const deposits = await withServerCpu(commandApi.pid, () => cannon('command API depositMoney', {
    url: `${api}/graphql`,
    ...post(''),
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: depositBody(accountIds)() }) }],
  }));
  rows.push(deposits);
  rows.push(await rawAppends(client, accountIds));
  const halfRate = Math.max(1, Math.floor(deposits.perSecond / 2));
  rows.push(await withServerCpu(commandApi.pid, () => cannon(`depositMoney at half of peak (${halfRate}/s), autocannon bursts`, {
    url: `${api}/graphql`,
    overallRate: halfRate,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: depositBody(accountIds)() }) }],
  })));
  rows.push(await withServerCpu(commandApi.pid, () => paced(`depositMoney at half of peak (${halfRate}/s), paced`, `${api}/graphql`, halfRate, depositBody(accountIds))));
  await client.dispose();

  const [bare, , raw] = rows;
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines = [
    `| phase | req/s | p50 ms | p99 ms | errors | server CPU µs/req |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map((row) => `| ${row.name} | ${fmt(row.perSecond)} | ${fmt(row.p50, 2)} | ${fmt(row.p99, 2)} | ${row.errors} | ${row.serverMicros === undefined ? '–' : fmt(row.serverMicros)} |`),
    '',
    `depositMoney / bare yoga: ${fmt((deposits.perSecond / (bare?.perSecond ?? 1)) * 100, 1)}% (target ≥ 50%)`,
    `depositMoney / raw appends: ${fmt((deposits.perSecond / (raw?.perSecond ?? 1)) * 100, 1)}%`,
    `p99 at half of peak: ${fmt(rows[4]?.p99 ?? 0, 2)} ms paced, ${fmt(rows[3]?.p99 ?? 0, 2)} ms in autocannon's bursts (target < 20 ms)`,
    `${SECONDS}s per phase, ${CONNECTIONS} connections, ${ACCOUNTS} accounts, ${(await import('node:os')).cpus().length} CPUs`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}

await main();
