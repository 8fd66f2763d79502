// Soak: the whole system under a steady load for a few minutes, loopback only, to see that it holds
// up over time rather than how fast it can go. The store (services/esdb-memory, in memory), Redis, the
// command API, one projector worker and the query API run as separate processes, as in production.
// Load, open-loop at fixed rates (a slow answer does not slow the senders down):
//   - --rate mutations/s: deposits and small withdrawals on --accounts accounts; for each accepted one,
//     account(id, consistencyToken) on the query API measures the lag: mutation answered → query shows it
//   - --query-rate queries/s: account(id) and accounts(first: 20), alternately
// Every 10 s it prints throughput, p99 latencies, p99 lag and the RSS of every process; at the end a
// summary and, per process, the slope of RSS over the last two thirds of the run with a verdict
// (see soak-report.ts). Defaults suit a shared 2-core machine; the point is a steady, sustainable load.
// Usage: npm run bench:soak -- --minutes 3 [--rate 30 --query-rate 20 --accounts 200]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { COMMAND_API_NODE_FLAGS } from '../../services/command-api/node-flags.ts';
import { PROJECTOR_NODE_FLAGS } from '../../services/projector/node-flags.ts';
import { createLogger, createRedisClient, findFreePort, startRedisServer } from '../../services/platform/index.ts';
import { startChildProcess, waitForHttp } from './child-processes.ts';
import { percentile } from './figures.ts';
import { graphql } from './http-load.ts';
import { rssMb, trendOf, type RssSeries } from './soak-report.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    rate: { type: 'string', default: '30' },
    'query-rate': { type: 'string', default: '20' },
    accounts: { type: 'string', default: '200' },
  },
});
const SECONDS = Number(values.minutes) * 60;
const RATE = Number(values.rate);
const QUERY_RATE = Number(values['query-rate']);
const ACCOUNTS = Number(values.accounts);
const WINDOW_SECONDS = 10;

const ACCOUNT_QUERY = 'query($id: ID!, $token: String) { account(id: $id, consistencyToken: $token) { __typename ... on Account { balance revision } } }';
const ACCOUNTS_QUERY = '{ accounts(first: 20) { __typename ... on AccountConnection { edges { node { id balance } } } } }';
const MONEY_MUTATION = (name: string, input: string) =>
  `mutation($input: ${input}!) { result: ${name}(input: $input) { __typename ... on CommandAccepted { consistencyToken } } }`;

interface Window {
  mutations: number[];
  queries: number[];
  lags: number[];
  errors: number;
}
const newWindow = (): Window => ({ mutations: [], queries: [], lags: [], errors: 0 });
let current = newWindow();
const all = newWindow();
const record = (kind: 'mutations' | 'queries' | 'lags', ms: number) => {
  current[kind].push(ms);
  all[kind].push(ms);
};
/** Failures by kind (a result type, or the error's message), so a summary says what went wrong. */
const failures = new Map<string, number>();
const fail = (kind: unknown) => {
  current.errors++;
  all.errors++;
  const name = kind instanceof Error ? kind.message : String(kind);
  failures.set(name, (failures.get(name) ?? 0) + 1);
};

async function mutateAndWatch(commandUrl: string, queryUrl: string, accountId: string): Promise<void> {
  const deposit = Math.random() < 0.7;
  const started = performance.now();
  const answer = await graphql(commandUrl, deposit ? MONEY_MUTATION('depositMoney', 'DepositMoneyInput') : MONEY_MUTATION('withdrawMoney', 'WithdrawMoneyInput'), {
    input: { accountId, amount: deposit ? '5.00' : '0.01', currency: 'EUR' },
  });
  const answeredAt = performance.now();
  record('mutations', answeredAt - started);
  const token = answer.data?.result?.consistencyToken as string | undefined;
  const answered = answer.data?.result?.__typename ?? answer.errors?.[0]?.message;
  // A withdrawal from an account that has been emptied is a correct answer, not a failure.
  if (token === undefined) return answered === 'InsufficientFunds' ? undefined : fail(`mutation: ${answered}`);
  const seen = await graphql(queryUrl, ACCOUNT_QUERY, { id: accountId, token });
  if (seen.data?.account?.__typename === 'Account') record('lags', performance.now() - answeredAt);
  else fail(`lag query: ${seen.data?.account?.__typename ?? seen.errors?.[0]?.message}`);
}

async function query(queryUrl: string, accountIds: string[], index: number): Promise<void> {
  const started = performance.now();
  const answer = index % 2 === 0
    ? await graphql(queryUrl, ACCOUNT_QUERY, { id: accountIds[index % accountIds.length] })
    : await graphql(queryUrl, ACCOUNTS_QUERY, {});
  if (answer.errors) fail(`query: ${answer.errors[0]?.message}`);
  else record('queries', performance.now() - started);
}

/** Calls `send(i)` RATE times a second until the deadline, without waiting for answers. */
async function openLoop(rate: number, deadline: number, send: (index: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let index = 0; ; index++) {
    const due = started + (index * 1000) / rate;
    if (due > deadline) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = send(index).catch(fail).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
}

async function main(): Promise<void> {
  const [esdbPort, commandPort, queryPort, projectorPort] = await Promise.all(Array.from({ length: 4 }, () => findFreePort()));
  const redis = await startRedisServer();
  process.on('exit', () => void redis.stop());
  const esdb = startChildProcess('services/esdb-memory/main.ts', ['--port', String(esdbPort)], {}, /"connectionString":"([^"]+)"/);
  const common = { ESDB_CONNECTION_STRING: await esdb.ready, REDIS_URL: redis.url };
  const command = startChildProcess('services/command-api/main.ts', [], { ...common, COMMAND_API_PORT: String(commandPort), COMMAND_API_HOST: '127.0.0.1' }, /$^/, COMMAND_API_NODE_FLAGS);
  const projector = startChildProcess('services/projector/main.ts', [], { ...common, PROJECTOR_PORT: String(projectorPort), PROJECTOR_HOST: '127.0.0.1' }, /$^/, PROJECTOR_NODE_FLAGS);
  const queries = startChildProcess('services/query-api/main.ts', [], { ...common, QUERY_API_PORT: String(queryPort), QUERY_API_HOST: '127.0.0.1' }, /$^/);
  await Promise.all([commandPort, queryPort, projectorPort].map((port) => waitForHttp(`http://127.0.0.1:${port}/ready`)));
  const commandUrl = `http://127.0.0.1:${commandPort}/graphql`;
  const queryUrl = `http://127.0.0.1:${queryPort}/graphql`;

  // Redis reports its own pid; the others are our children.
  const redisClient = createRedisClient(redis.target, createLogger('soak'));
  await redisClient.connect();
  const redisPid = Number(/process_id:(\d+)/.exec(await redisClient.info('server'))?.[1]);
  redisClient.destroy();
  const processes = { 'esdb-memory': esdb.pid, redis: redisPid, 'command-api': command.pid, projector: projector.pid, 'query-api': queries.pid, 'soak driver': process.pid };
  const series: RssSeries[] = Object.keys(processes).map((name) => ({ name, samples: [] }));

  const accountIds = Array.from({ length: ACCOUNTS }, () => randomUUID());
  await Promise.all(accountIds.map((accountId) =>
    graphql(commandUrl, MONEY_MUTATION('openAccount', 'OpenAccountInput'), { input: { accountId, holderName: 'Soak', currency: 'EUR' } })));

  console.log(`soak: ${SECONDS} s, ${RATE} mutations/s, ${QUERY_RATE} queries/s, ${ACCOUNTS} accounts`);
  console.log(['t s', 'mut/s', 'mut p99 ms', 'query p99 ms', 'lag p99 ms', 'errors', ...Object.keys(processes).map((name) => `${name} MB`)].join(' | '));
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const sampler = setInterval(() => void (async () => {
    const window = current;
    current = newWindow();
    const t = Math.round((performance.now() - started) / 1000);
    const rss = await Promise.all(Object.values(processes).map(rssMb));
    rss.forEach((mb, index) => mb !== undefined && series[index]!.samples.push([t, mb]));
    const p99 = (values: number[]) => percentile(values.sort((a, b) => a - b), 0.99).toFixed(1);
    console.log([t, (window.mutations.length / WINDOW_SECONDS).toFixed(0), p99(window.mutations), p99(window.queries), p99(window.lags), window.errors, ...rss.map((mb) => mb?.toFixed(0) ?? '-')].join(' | '));
  })(), WINDOW_SECONDS * 1000);
  await Promise.all([
    openLoop(RATE, deadline, (index) => mutateAndWatch(commandUrl, queryUrl, accountIds[index % accountIds.length]!)),
    openLoop(QUERY_RATE, deadline, (index) => query(queryUrl, accountIds, index)),
  ]);
  clearInterval(sampler);

  const elapsed = (performance.now() - started) / 1000;
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const [mutations, queriesMs, lags] = [sorted(all.mutations), sorted(all.queries), sorted(all.lags)];
  console.log(`\nthroughput: ${(mutations.length / elapsed).toFixed(1)} mutations/s, ${(queriesMs.length / elapsed).toFixed(1)} queries/s over ${elapsed.toFixed(0)} s; errors ${all.errors}`);
  for (const [kind, count] of failures) console.log(`  ${count} × ${kind}`);
  console.log(`mutation latency p50 ${percentile(mutations, 0.5).toFixed(1)} ms, p99 ${percentile(mutations, 0.99).toFixed(1)} ms`);
  console.log(`query latency p50 ${percentile(queriesMs, 0.5).toFixed(1)} ms, p99 ${percentile(queriesMs, 0.99).toFixed(1)} ms`);
  console.log(`lag (mutation answered → query shows it) p50 ${percentile(lags, 0.5).toFixed(1)} ms, p99 ${percentile(lags, 0.99).toFixed(1)} ms, max ${(lags.at(-1) ?? 0).toFixed(1)} ms`);
  console.log('RSS trend over the last two thirds:');
  for (const trend of series.map(trendOf)) {
    console.log(`  ${trend.name}: mean ${trend.meanMb.toFixed(0)} MB, ${trend.mbPerMinute >= 0 ? '+' : ''}${trend.mbPerMinute.toFixed(2)} MB/min → ${trend.verdict}`);
  }
  await redis.stop();
  process.exit(0);
}

await main();
