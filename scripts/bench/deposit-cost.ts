// What one depositMoney over HTTP costs the command API: CPU µs and bytes allocated per request, measured
// inside the API's own process, so the figures hold on a busy machine where req/s and latency do not.
// The API runs here (as main.ts builds it, authentication off as in bench:command-api), the store in a
// child process, and the load in another child (this script again with --client), so neither adds to
// our CPU. Allocation: with a young generation larger than a whole round's garbage, no GC runs in a
// round (checked) and the heap's growth is what the round allocated.
// Usage: npm run bench:deposit-cost [-- --requests 600 --rounds 3 --concurrency 4] (its node flags make the young generation
// hold a whole round); on a shared machine, at high priority: nice -n -15 npm run bench:deposit-cost
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCommandApi, listenCommandApi } from '../../services/command-api/index.ts';
import {
  createAuthenticator,
  createEsdbClient,
  createKeyStore,
  createLogger,
  createRedisClient,
  findFreePort,
  startRedisServer,
} from '../../services/platform/index.ts';
import { startEsdbChild, stopChildProcesses } from './child-processes.ts';
import { openAccounts } from './command-api.ts';
import { graphql } from './http-load.ts';

const { values } = parseArgs({
  options: {
    client: { type: 'string' },
    requests: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
  },
});

const depositQuery = 'mutation($input: DepositMoneyInput!) { depositMoney(input: $input) { __typename ... on CommandAccepted { revision } } }';

/** The load: `requests` deposits over keep-alive HTTP, `concurrency` at a time, to random accounts. */
async function runClient(url: string): Promise<void> {
  const { accountIds, requests, concurrency } = JSON.parse(process.env.DEPOSIT_COST_LOAD ?? '{}') as { accountIds: string[]; requests: number; concurrency: number };
  for (;;) {
    const [go] = (await once(process, 'message')) as [string];
    if (go !== 'go') return;
    let sent = 0;
    let failed = 0;
    const loop = async () => {
      while (sent < requests) {
        sent += 1;
        const accountId = accountIds[sent % accountIds.length];
        const answer = await graphql(url, depositQuery, { input: { accountId, amount: '1.00', currency: 'EUR' } });
        if (answer.data?.depositMoney?.__typename !== 'CommandAccepted') failed += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    process.send?.({ failed });
  }
}

async function measure(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (see Usage)');
  const requests = Number(values.requests);
  const log = createLogger('deposit-cost').child({}, { level: 'warn' });
  const esdbChild = await startEsdbChild();
  const redis = await startRedisServer({ ownProcessGroup: true });
  const redisClient = createRedisClient(redis.url, log);
  await redisClient.connect();
  const api = createCommandApi({
    esdb: createEsdbClient(esdbChild.connectionString),
    log,
    auth: createAuthenticator({ kind: 'disabled' }),
    keyStore: createKeyStore(redisClient),
  });
  const server = await listenCommandApi(api, await findFreePort(), '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}/graphql`;
  const accountIds = await openAccounts(url, 100);
  for (let index = 0; index < 200; index += 1) await graphql(url, depositQuery, { input: { accountId: accountIds[index % 100], amount: '1.00', currency: 'EUR' } });

  let gcs = 0;
  new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });
  const client = fork(process.argv[1]!, ['--client', url], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DEPOSIT_COST_LOAD: JSON.stringify({ accountIds, requests, concurrency: Number(values.concurrency) }) },
  });
  process.stdout.write(`load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}; ${requests} deposits a round, ${values.concurrency} at a time\n`);
  // The first round warms up the JIT and the caches; it is shown but not counted.
  for (let round = 0; round <= Number(values.rounds); round += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const gcsBefore = gcs;
    const heapBefore = process.memoryUsage().heapUsed;
    const cpuBefore = process.cpuUsage();
    client.send('go');
    const [{ failed }] = (await once(client, 'message')) as [{ failed: number }];
    const cpu = process.cpuUsage(cpuBefore);
    const allocated = process.memoryUsage().heapUsed - heapBefore;
    const cpuMicros = (cpu.user + cpu.system) / requests;
    const kb = gcs === gcsBefore ? ((allocated / requests) / 1024).toFixed(1) : `? (${gcs - gcsBefore} GCs)`;
    process.stdout.write(`${round === 0 ? 'warm-up' : `round ${round}`}: ${cpuMicros.toFixed(0)} µs CPU, ${kb} KB allocated per deposit; ${failed} failed\n`);
  }
  client.send('stop');
  await server.stop();
  await redisClient.quit();
  await redis.stop();
  await stopChildProcesses();
  process.exit(0);
}

await (values.client === undefined ? measure() : runClient(values.client));
