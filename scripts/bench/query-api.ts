// Benchmark of the query API: account(id) queries/s over HTTP, next to two baselines measured in the
// same run on the same machine:
//   - a bare graphql-yoga hello-world (the most any yoga server can answer here), and
//   - raw HGETALL of the same summaries through the same Redis client factory the query API uses.
// Then append-to-visible lag: depositMoney at a steady rate; for each, the time from the mutation's
// answer until account(id, consistencyToken) answers with it (one query round trip included), after a
// warm-up at the same rate that is reported but not counted (V8 compiling every process's deposit path).
// Servers run as child processes (store, Redis, command API, projector, query API, bare yoga).
// Usage: npm run bench:query-api [-- --full] [-- --seconds 8 --connections 50 --accounts 1000 --rate 500]
import { createLogger, createRedisClient, findFreePort, startRedisServer } from '../../services/platform/index.ts';
import { PROJECTOR_NODE_FLAGS } from '../../services/projector/node-flags.ts';
import { accountKeys } from '../../services/projector/read-model-keys.ts';
import { startChildProcess, startCommandApiProcess, startEsdbProcess, waitForHttp } from './child-processes.ts';
import { openAccounts } from './command-api.ts';
import type { Benchmark, Figure } from './figures.ts';
import { cannon, graphql, post, postEach, rowOf, type Load, type LoadRow } from './http-load.ts';
import { runIfMain } from './standalone.ts';

// Nothing before the lag phase deposits, so the command API, the projector and the query API meet the
// deposit path cold. On a slow 2-core machine, V8 compiling it costs more CPU than the pace leaves, a
// backlog builds and takes seconds to drain. Measured 2026-12-07 in 3 s rounds at 500/s: lag p99 590,
// 343, 46, 75 ms; with a ramp from 100/s, the command API used half a core at 100/s, and p99 reached
// 19 ms only in the sixth round. Twelve seconds at the pace covers that on such a machine.
const LAG_WARM_UP_SECONDS = 12;

type QueryApiSettings = { readonly seconds: number; readonly connections: number; readonly accounts: number; readonly rate: number };

export const ACCOUNT_QUERY = 'query($id: ID!, $token: String) { account(id: $id, consistencyToken: $token) { __typename ... on Account { id balance revision } } }';

/** HGETALL of random summaries from `connections` concurrent loops, each awaiting its reply. */
async function rawHgetall(redisUrl: string, accountIds: string[], load: Load): Promise<LoadRow> {
  const redis = createRedisClient({ kind: 'node', url: redisUrl }, createLogger('bench'));
  await redis.connect();
  const latencies: number[] = [];
  const deadline = performance.now() + load.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const accountId = accountIds[Math.floor(Math.random() * accountIds.length)]!;
      const start = performance.now();
      await redis.hGetAll(accountKeys({ projection: 'accounts', version: 1 }, accountId).summary);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: load.connections }, loop));
  redis.destroy();
  return rowOf('raw HGETALL (same client factory)', latencies, load.seconds, 0);
}

/** depositMoney at a steady `rate`; per deposit, answer-to-visible time through the query API. */
async function appendToVisibleLag(commandUrl: string, queryUrl: string, accountIds: string[], rate: number, seconds: number): Promise<LoadRow & { firstError?: string }> {
  const lags: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const total = rate * seconds;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const one = async (accountId: string): Promise<void> => {
    const deposit = await graphql(commandUrl, 'mutation($input: DepositMoneyInput!) { depositMoney(input: $input) { ... on CommandAccepted { consistencyToken } } }', {
      input: { accountId, amount: '1.00', currency: 'EUR' },
    });
    const answeredAt = performance.now();
    const token = deposit.data?.depositMoney?.consistencyToken as string | undefined;
    const seen = token && (await graphql(queryUrl, ACCOUNT_QUERY, { id: accountId, token }));
    if (!seen || seen.data?.account?.__typename !== 'Account') errors += 1;
    else lags.push(performance.now() - answeredAt);
  };
  // A failed request (a connection reset, say) is one error in the figure, not the end of the benchmark.
  const counted = (accountId: string): Promise<void> =>
    one(accountId).catch((error: unknown) => {
      errors += 1;
      firstError ??= error instanceof Error ? error.message : String(error);
    });
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(counted(accountIds[i % accountIds.length]!));
  }
  // The rate kept is deposits over the time taken to send them: waiting for the last answers is not sending.
  const sendingSeconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  return { ...rowOf('append-to-visible lag', lags, sendingSeconds, errors), ...(firstError === undefined ? {} : { firstError }) };
}

/** A query API reading `redisUrl`, in its own process, once ready; resolves with its GraphQL URL and pid. */
export async function startQueryApiProcess(redisUrl: string): Promise<{ url: string; pid: number }> {
  const port = await findFreePort();
  const api = startChildProcess('services/query-api/main.ts', [], { REDIS_URL: redisUrl, QUERY_API_PORT: String(port), QUERY_API_HOST: '127.0.0.1' }, /$^/);
  void api.ready.catch(() => undefined);
  await waitForHttp(`http://127.0.0.1:${port}/ready`);
  return { url: `http://127.0.0.1:${port}/graphql`, pid: api.pid };
}

/** Throws unless the query API answers account(id) with an Account: the figures would be of error answers. */
export async function expectAccountReadable(queryUrl: string, id: string | undefined): Promise<void> {
  const probe = await graphql(queryUrl, 'query($id: ID!) { account(id: $id) { __typename } }', { id });
  if (probe.data?.account?.__typename !== 'Account') throw new Error(`written accounts are not readable: ${JSON.stringify(probe)}`);
}

/** Polls (bounded) until the query API shows every account, so nothing is timed against a half-built read model. */
async function waitUntilVisible(queryUrl: string, accountIds: readonly string[]): Promise<void> {
  for (const id of accountIds) {
    for (let attempt = 0; ; attempt += 1) {
      const seen = await graphql(queryUrl, 'query($id: ID!) { account(id: $id) { __typename } }', { id });
      if (seen.data?.account?.__typename === 'Account') break;
      if (attempt >= 200) throw new Error(`account ${id} never became visible`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export const accountQueryLoad = (queryUrl: string, accountIds: readonly string[]) => ({
  url: queryUrl,
  ...postEach(() => JSON.stringify({ query: ACCOUNT_QUERY, variables: { id: accountIds[Math.floor(Math.random() * accountIds.length)] } })),
});

async function run({ seconds, connections, accounts, rate }: QueryApiSettings): Promise<Figure[]> {
  const load = { seconds, connections };
  const redis = await startRedisServer();
  try {
    const connectionString = await startEsdbProcess();
    const barePort = await findFreePort();
    await startChildProcess('scripts/bench/bare-yoga.ts', [], { PORT: String(barePort) }, /listening/).ready;
    const common = { ESDB_CONNECTION_STRING: connectionString, REDIS_URL: redis.url };
    const projectorPort = await findFreePort();
    void startChildProcess('services/projector/main.ts', [], { ...common, PROJECTOR_PORT: String(projectorPort), PROJECTOR_HOST: '127.0.0.1' }, /$^/, PROJECTOR_NODE_FLAGS).ready.catch(() => undefined);
    const [command, { url: queryUrl }] = await Promise.all([startCommandApiProcess(common), startQueryApiProcess(redis.url), waitForHttp(`http://127.0.0.1:${projectorPort}/ready`)]);
    const accountIds = await openAccounts(command.url, accounts);
    await waitUntilVisible(queryUrl, accountIds);

    const bare = await cannon('bare graphql-yoga { hello }', load, { url: `http://127.0.0.1:${barePort}/graphql`, ...post('{"query":"{ hello }"}') });
    const account = await cannon('account(id)', load, accountQueryLoad(queryUrl, accountIds));
    const raw = await rawHgetall(redis.url, accountIds, load);
    // The same pace first, reported but not counted: the figure is of a steady rate,
    // not of V8 compiling the deposit, apply and query paths while they are measured.
    const warmUp = await appendToVisibleLag(command.url, queryUrl, accountIds, rate, LAG_WARM_UP_SECONDS);
    const lag = await appendToVisibleLag(command.url, queryUrl, accountIds, rate, seconds);
    return [
      { name: 'account(id) throughput', value: account.perSecond, unit: 'req/s', better: 'higher', baseline: { name: bare.name, value: bare.perSecond }, note: `target ≥ 0.7×; errors ${account.errors}` },
      { name: 'account(id) p50 at peak', value: account.p50, unit: 'ms', better: 'lower', baseline: { name: `${raw.name} p50`, value: raw.p50 }, note: `raw HGETALL ${raw.perSecond.toFixed(0)}/s` },
      { name: `append-to-visible lag p99 at ${rate} deposits/s`, value: lag.p99, unit: 'ms', better: 'lower', note: `target < 50 ms; p50 ${lag.p50.toFixed(1)} ms; achieved ${lag.perSecond.toFixed(0)}/s; after ${LAG_WARM_UP_SECONDS} s at the same rate not counted (its p99 ${warmUp.p99.toFixed(0)} ms); errors ${lag.errors + warmUp.errors}${(lag.firstError ?? warmUp.firstError) === undefined ? "" : ` (first: ${lag.firstError ?? warmUp.firstError})`}` },
    ];
  } finally {
    await redis.stop();
  }
}

export const benchmark: Benchmark<QueryApiSettings> = {
  name: 'query-api',
  short: { seconds: 5, connections: 50, accounts: 500, rate: 300 },
  full: { seconds: 8, connections: 50, accounts: 1_000, rate: 500 },
  run,
};

await runIfMain(import.meta.url, benchmark);
