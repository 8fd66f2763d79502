// Benchmark of how command cost grows with an account's history: depositMoney latency (p50, p99) on
// accounts with 10, 1,000 and 100,000 events (1,000,000 too with --full), warm and cold.
//   - warm: a command API with its stream cache (the default), after one command has filled it, so each
//     deposit decides on the cached state and appends once;
//   - cold: a command API with COMMAND_CACHED_STREAMS=0, so every deposit first reads the account, as a
//     freshly started replica, or one whose view went stale, does.
// Each account is opened through the API; its history is then appended straight to the store in
// batches (services/command-api/deposit-history.ts), as a long run of deposits would have left it.
// Deposits are sent one at a time (no queueing in the figures) over HTTP keep-alive, to processes of
// their own (the store and both command APIs), in rounds over all accounts. The baseline of each figure is the same figure on the
// 10-event account: the target is a ratio within 2× at 100,000 events.
// Usage: npm run bench:command-scaling [-- --full] [-- --samples 200 --largest 100000]
import { EventStoreDBClient } from '@eventstore/db-client';
import { appendDepositHistory } from '../../services/command-api/deposit-history.ts';
import { startCommandApiProcess, startEsdbProcess } from './child-processes.ts';
import { openAccounts } from './command-api.ts';
import type { Benchmark, Figure } from './figures.ts';
import { graphql, rowOf } from './http-load.ts';
import { runIfMain } from './standalone.ts';

type ScalingSettings = { readonly samples: number; readonly largest: number };

const DEPOSIT = 'mutation($input: DepositMoneyInput!) { depositMoney(input: $input) { __typename } }';

const ROUNDS = 10;

/** `count` deposits one after another; their latencies are added to `latencies`. */
async function sequentialDeposits(url: string, accountId: string, count: number, latencies: number[] = []): Promise<number> {
  let errors = 0;
  for (let sample = 0; sample < count; sample += 1) {
    const start = performance.now();
    const answer = await graphql(url, DEPOSIT, { input: { accountId, amount: '0.01', currency: 'EUR' } });
    latencies.push(performance.now() - start);
    if (answer.data?.depositMoney?.__typename !== 'CommandAccepted') errors += 1;
  }
  return errors;
}

interface Case {
  readonly mode: 'warm' | 'cold';
  readonly size: number;
  readonly url: string;
  readonly accountId: string;
  readonly latencies: number[];
  errors: number;
}

async function run({ samples, largest }: ScalingSettings): Promise<Figure[]> {
  const connectionString = await startEsdbProcess();
  const esdb = EventStoreDBClient.connectionString(connectionString);
  const warm = await startCommandApiProcess({ ESDB_CONNECTION_STRING: connectionString });
  const cold = await startCommandApiProcess({ ESDB_CONNECTION_STRING: connectionString, COMMAND_CACHED_STREAMS: '0' });
  const sizes = [10, 1_000, 100_000, 1_000_000].filter((size) => size <= largest);
  const cases: Case[] = [];
  try {
    for (const size of sizes) {
      // One account per mode, so the warm runs' deposits do not lengthen the cold account.
      for (const [mode, api] of [['warm', warm], ['cold', cold]] as const) {
        const [accountId] = (await openAccounts(api.url, 1)) as [string];
        process.stderr.write(`${mode}: ${size.toLocaleString('en-US')} events\n`);
        await appendDepositHistory(esdb, { accountId, currency: 'EUR', revision: 0n, balance: 0n }, size - 1);
        // Unmeasured: fills the warm cache (and warms the JIT for the cold path alike).
        await sequentialDeposits(api.url, accountId, 5);
        cases.push({ mode, size, url: api.url, accountId, latencies: [], errors: 0 });
      }
    }
    // In rounds over every case, so a burst of other load on the machine hits all sizes alike.
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const entry of cases) entry.errors += await sequentialDeposits(entry.url, entry.accountId, Math.ceil(samples / ROUNDS), entry.latencies);
    }
  } finally {
    await esdb.dispose();
  }
  return cases.flatMap(({ mode, size, latencies, errors }) => {
    const row = rowOf(mode, latencies, 1, errors);
    const base = rowOf(mode, cases.find((entry) => entry.mode === mode && entry.size === sizes[0])!.latencies, 1, 0);
    return (['p50', 'p99'] as const).map((quantile): Figure => ({
      name: `depositMoney ${mode} ${quantile}, ${size.toLocaleString('en-US')} events`,
      value: row[quantile],
      unit: 'ms',
      better: 'lower',
      ...(size === sizes[0] ? {} : { baseline: { name: `${sizes[0]} events`, value: base[quantile] } }),
      note: `${latencies.length} sequential deposits; errors ${errors}${size >= 100_000 ? '; target ≤ 2×' : ''}`,
    }));
  });
}

export const benchmark: Benchmark<ScalingSettings> = {
  name: 'command-scaling',
  short: { samples: 100, largest: 100_000 },
  full: { samples: 1_000, largest: 1_000_000 },
  run,
};

await runIfMain(import.meta.url, benchmark);
