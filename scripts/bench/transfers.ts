// Benchmark of transfers end to end: transfers completed per second and the time from sending
// requestTransfer to the transfer's TransferCompleted being in the store, at p50/p99.
// How: the embedded EventStoreDB-compatible server, the command API and one transfers process manager
// run as child processes (as in production, each with its own event loop); this process opens ACCOUNTS
// funded EUR accounts, watches the transfer streams with a catch-up subscription on `$all` (filtered to
// `transfer-`), then sends TRANSFERS requestTransfer mutations between random pairs over HTTP from
// CONNECTIONS concurrent loops. Latency runs from just before a request is sent to the moment the
// subscription delivers its TransferCompleted (so it includes the HTTP round trip, the persistent-
// subscription delivery to the process manager, its four appends, and the catch-up delivery here).
// Accounts are funded so that no transfer is rejected: every transfer takes the full path.
// Usage: npm run bench:transfers [-- --transfers 2000 --connections 50 --accounts 200]
import { parseArgs } from 'node:util';
import { END, EventStoreDBClient, streamNameFilter } from '@eventstore/db-client';
import { findFreePort } from '../../services/platform/index.ts';
import { startChildProcess, startCommandApiProcess, waitForHttp } from './child-processes.ts';
import { percentile } from './figures.ts';
import { graphql, type Answer } from './http-load.ts';

const { values } = parseArgs({
  options: {
    transfers: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '50' },
    accounts: { type: 'string', default: '200' },
  },
});
const TRANSFERS = Number(values.transfers);
const CONNECTIONS = Number(values.connections);
const ACCOUNTS = Number(values.accounts);

/** One mutation through the benchmarks' shared keep-alive client; its result, or an error when there is none. */
async function mutation(api: string, query: string, input: Record<string, unknown>): Promise<Answer> {
  const answer = await graphql(api, query, { input });
  if (answer.data === undefined || answer.data === null) throw new Error(`no data: ${JSON.stringify(answer)}`);
  return answer.data as Answer;
}

async function openFundedAccount(api: string): Promise<string> {
  const { openAccount } = await mutation(api, 'mutation($input: OpenAccountInput!) { openAccount(input: $input) { __typename ... on CommandAccepted { aggregateId } } }', { holderName: 'Bench', currency: 'EUR' });
  const accountId = openAccount!.aggregateId!;
  await mutation(api, 'mutation($input: DepositMoneyInput!) { depositMoney(input: $input) { __typename } }', { accountId, amount: '1000000', currency: 'EUR' });
  return accountId;
}

async function main(): Promise<void> {
  const [esdbPort, transfersPort] = [await findFreePort(), await findFreePort()];
  const connectionString = await startChildProcess('services/esdb-memory/main.ts', ['--port', String(esdbPort)], {}, /"connectionString":"([^"]+)"/).ready;
  const env = { ESDB_CONNECTION_STRING: connectionString };
  void startChildProcess('services/transfers/main.ts', [], { ...env, TRANSFERS_PORT: String(transfersPort), TRANSFERS_HOST: '127.0.0.1' }, /$^/).ready.catch(() => undefined);
  // Started like every benchmark's command API: authentication off, a Redis of its own for the key store.
  const [{ url: api }] = await Promise.all([startCommandApiProcess(env), waitForHttp(`http://127.0.0.1:${transfersPort}/ready`)]);

  const accounts: string[] = [];
  for (let start = 0; start < ACCOUNTS; start += 50) {
    accounts.push(...(await Promise.all(Array.from({ length: Math.min(50, ACCOUNTS - start) }, () => openFundedAccount(api)))));
  }

  const client = EventStoreDBClient.connectionString(connectionString);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const finals = new Map<string, number>();
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const subscription = client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: ['transfer-'] }) });
  subscription.on('data', ({ event }) => {
    if (event === undefined || !['TransferCompleted', 'TransferRejected', 'TransferFailed'].includes(event.type)) return;
    finals.set(event.type, (finals.get(event.type) ?? 0) + 1);
    const started = sentAt.get(event.streamId.slice('transfer-'.length));
    if (started !== undefined) latencies.push(performance.now() - started);
    if (latencies.length === TRANSFERS) allDone();
  });
  await new Promise((resolve) => subscription.once('confirmation', resolve));

  const started = performance.now();
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < TRANSFERS) {
      next += 1;
      const from = Math.floor(Math.random() * accounts.length);
      const to = (from + 1 + Math.floor(Math.random() * (accounts.length - 1))) % accounts.length;
      const requestedAt = performance.now();
      const { requestTransfer } = await mutation(api, 'mutation($input: RequestTransferInput!) { requestTransfer(input: $input) { __typename ... on CommandAccepted { aggregateId } } }', {
        fromAccountId: accounts[from], toAccountId: accounts[to], amount: '1.00', currency: 'EUR',
      });
      if (requestTransfer?.__typename !== 'CommandAccepted') throw new Error(`request refused: ${JSON.stringify(requestTransfer)}`);
      sentAt.set(requestTransfer.aggregateId!, requestedAt);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const requestsSeconds = (performance.now() - started) / 1000;
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 120_000))]);
  const seconds = (performance.now() - started) / 1000;
  await subscription.unsubscribe();
  await client.dispose();

  latencies.sort((a, b) => a - b);
  const at = (q: number): string => percentile(latencies, q).toFixed(0);
  const os = await import('node:os');
  process.stdout.write([
    `${latencies.length} of ${TRANSFERS} transfers finished (${[...finals].map(([type, count]) => `${type} ${count}`).join(', ')}) in ${seconds.toFixed(1)} s`,
    `completed end to end: ${(latencies.length / seconds).toFixed(0)} transfers/s (requests alone: ${(TRANSFERS / requestsSeconds).toFixed(0)}/s)`,
    `request → TransferCompleted: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
    `${CONNECTIONS} connections, ${ACCOUNTS} accounts, one process manager, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`,
  ].join('\n') + '\n');
  process.exit(0);
}

await main();
