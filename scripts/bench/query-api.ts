// Benchmark of the query API: account(id) queries/s over HTTP, next to two baselines measured in the
// same run on the same machine:
//   - a bare graphql-yoga hello-world (the most any yoga server can answer here), and
//   - raw HGETALL of the same summaries through the same Redis client factory the query API uses.
// Then append-to-visible lag: depositMoney at a steady rate; for each, the time from the mutation's
// answer until account(id, consistencyToken) answers with it (one query round trip included).
// Servers run as child processes (store, Redis, command API, projector, query API, bare yoga).
// Usage: npm run bench:query-api [-- --seconds 8 --connections 50 --accounts 1000 --rate 500]
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createLogger, createRedisClient, findFreePort, startRedisServer } from '../../services/platform/index.ts';
import { COMMAND_API_NODE_FLAGS } from '../../services/command-api/node-flags.ts';
import { accountKeys } from '../../services/projector/read-model-keys.ts';
import { startChildProcess, waitForHttp } from './child-processes.ts';
import { graphql, percentile } from './graphql-client.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    accounts: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '500' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ACCOUNTS = Number(values.accounts);
const RATE = Number(values.rate);

interface Row {
  readonly name: string;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

const startChild = (file: string, args: string[], env: Record<string, string>, readyPattern: RegExp) =>
  startChildProcess(file, args, env, readyPattern).ready;

async function cannon(name: string, options: autocannon.Options): Promise<Row> {
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name, perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

const ACCOUNT_QUERY = 'query($id: ID!, $token: String) { account(id: $id, consistencyToken: $token) { __typename ... on Account { id balance revision } } }';

/** HGETALL of random summaries from CONNECTIONS concurrent loops, each awaiting its reply. */
async function rawHgetall(redisUrl: string, accountIds: string[]): Promise<Row> {
  const redis = createRedisClient(redisUrl, createLogger('bench'));
  await redis.connect();
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const accountId = accountIds[Math.floor(Math.random() * accountIds.length)]!;
      const start = performance.now();
      await redis.hGetAll(accountKeys({ projection: 'accounts', version: 1 }, accountId).summary);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  redis.destroy();
  latencies.sort((a, b) => a - b);
  return { name: 'raw HGETALL (same client factory)', perSecond: latencies.length / SECONDS, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors: 0 };
}

/** depositMoney at a steady RATE; per deposit, answer-to-visible time through the query API. */
async function appendToVisibleLag(commandUrl: string, queryUrl: string, accountIds: string[]): Promise<Row> {
  const lags: number[] = [];
  let errors = 0;
  const total = RATE * SECONDS;
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
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(one(accountIds[i % accountIds.length]!));
  }
  await Promise.all(inFlight);
  const achieved = total / ((performance.now() - started) / 1000);
  lags.sort((a, b) => a - b);
  return { name: `append-to-visible lag at ${RATE} deposits/s (achieved ${Math.round(achieved)}/s)`, perSecond: achieved, p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), errors };
}

async function main(): Promise<void> {
  const [esdbPort, commandPort, queryPort, projectorPort, barePort] = await Promise.all(Array.from({ length: 5 }, () => findFreePort()));
  const redis = await startRedisServer();
  process.on('exit', () => void redis.stop());
  const connectionString = await startChild('services/esdb-memory/main.ts', ['--port', String(esdbPort)], {}, /"connectionString":"([^"]+)"/);
  await startChild('scripts/bench/bare-yoga.ts', [], { PORT: String(barePort) }, /listening/);
  const common = { ESDB_CONNECTION_STRING: connectionString, REDIS_URL: redis.url };
  // With the V8 flags the command API is run with (npm run command-api).
  void startChildProcess('services/command-api/main.ts', [], { ...common, COMMAND_API_PORT: String(commandPort), COMMAND_API_HOST: '127.0.0.1' }, /$^/, COMMAND_API_NODE_FLAGS);
  void startChild('services/projector/main.ts', [], { ...common, PROJECTOR_PORT: String(projectorPort), PROJECTOR_HOST: '127.0.0.1' }, /$^/);
  void startChild('services/query-api/main.ts', [], { ...common, QUERY_API_PORT: String(queryPort), QUERY_API_HOST: '127.0.0.1' }, /$^/);
  const commandUrl = `http://127.0.0.1:${commandPort}/graphql`;
  const queryUrl = `http://127.0.0.1:${queryPort}/graphql`;
  await Promise.all([waitForHttp(`http://127.0.0.1:${commandPort}/ready`), waitForHttp(`http://127.0.0.1:${queryPort}/ready`), waitForHttp(`http://127.0.0.1:${projectorPort}/ready`)]);

  const accountIds = Array.from({ length: ACCOUNTS }, () => randomUUID());
  for (let start = 0; start < accountIds.length; start += 100) {
    await Promise.all(accountIds.slice(start, start + 100).map(async (accountId) => {
      const opened = await graphql(commandUrl, 'mutation($input: OpenAccountInput!) { openAccount(input: $input) { ... on CommandAccepted { consistencyToken } } }', {
        input: { accountId, holderName: 'Bench', currency: 'EUR' },
      });
      const seen = await graphql(queryUrl, ACCOUNT_QUERY, { id: accountId, token: opened.data?.openAccount?.consistencyToken });
      if (seen.data?.account?.__typename !== 'Account') throw new Error(`account not visible: ${JSON.stringify(seen)}`);
    }));
  }

  const post = (body: string) => ({ method: 'POST' as const, headers: { 'content-type': 'application/json' }, body });
  const bare = await cannon('bare graphql-yoga { hello }', { url: `http://127.0.0.1:${barePort}/graphql`, ...post('{"query":"{ hello }"}') });
  const account = await cannon('query API account(id)', {
    url: queryUrl,
    requests: [{
      method: 'POST', headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: ACCOUNT_QUERY, variables: { id: accountIds[Math.floor(Math.random() * accountIds.length)] } }) }),
    }],
  });
  const raw = await rawHgetall(redis.url, accountIds);
  const lag = await appendToVisibleLag(commandUrl, queryUrl, accountIds);

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rows = [bare, account, raw, lag];
  const lines = [
    `| phase | req/s | p50 ms | p99 ms | errors |`,
    `| --- | ---: | ---: | ---: | ---: |`,
    ...rows.map((row) => `| ${row.name} | ${fmt(row.perSecond)} | ${fmt(row.p50, 2)} | ${fmt(row.p99, 2)} | ${row.errors} |`),
    '',
    `account(id) / bare yoga: ${fmt((account.perSecond / bare.perSecond) * 100, 1)}% (target ≥ 70%)`,
    `account(id) / raw HGETALL: ${fmt((account.perSecond / raw.perSecond) * 100, 1)}%`,
    `append-to-visible lag p50 ${fmt(lag.p50, 2)} ms, p99 ${fmt(lag.p99, 2)} ms (target p99 < 50 ms)`,
    `${SECONDS}s per phase, ${CONNECTIONS} connections, ${ACCOUNTS} accounts, ${cpus().length} CPUs`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await redis.stop();
  process.exit(0);
}

await main();
