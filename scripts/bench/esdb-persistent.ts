// Benchmark of persistent subscriptions in the embedded server (services/esdb-memory).
//
// Loads events, then for each case creates a fresh group from the start and measures how fast
// its consumers receive and ack every event (one ack per event, as a projector does), through
// the unmodified @eventstore/db-client against the server running as a separate process:
//   - a group on one stream, 1 consumer and 4 consumers
//   - a `$all` group filtered by stream prefix (half of `$all` matches), 1 and 4 consumers
// Each consumer is its own process with its own client, as projector workers are; the table also
// prints the server's CPU time per event (one core: 1e6 / that is the most it can deliver).
// Usage: npm run bench:persistent [-- --full] [-- --events 200000 --buffer 100 --profile 1]
// --profile 1 starts the server with --cpu-prof (profile written to bench-results/ on exit).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import {
  EventStoreDBClient,
  START,
  jsonEvent,
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  streamNameFilter,
} from '@eventstore/db-client';
import { findFreePort } from '../../services/platform/index.ts';
import { fmt, phase, phaseFigures, startServer, type PhaseResult } from './bench-support.ts';
import type { Benchmark, Figure } from './figures.ts';
import { runIfMain } from './standalone.ts';

const BATCH = 1000;
const STREAM = 'bench-persistent';
const ALL_PREFIX = 'bench-all-';
const TARGET = '>= 50,000';
const CONSUMER_SCRIPT = new URL('./persistent-consumer.ts', import.meta.url).pathname;

const smallEvent = (i: number) => jsonEvent({ type: 'Deposited', data: { n: i, amount: '10.00' } });

async function load(client: EventStoreDBClient, total: number): Promise<void> {
  for (let done = 0; done < total; done += BATCH) {
    const events = Array.from({ length: BATCH }, (_, i) => smallEvent(done + i));
    await client.appendToStream(STREAM, events);
    // The same number again in many streams, so a prefix-filtered `$all` group matches half of `$all`.
    await client.appendToStream(`${ALL_PREFIX}${done / BATCH}`, events);
  }
}

/** Starts `count` consumer processes on a group and waits until each is subscribed. */
async function startConsumers(connectionString: string, source: string, group: string, count: number, buffer: number): Promise<ChildProcess[]> {
  const consumers = Array.from({ length: count }, () =>
    fork(CONSUMER_SCRIPT, [connectionString, source, group, String(buffer)], { execArgv: ['--import', 'tsx'] }),
  );
  await Promise.all(
    consumers.map(
      (consumer) =>
        new Promise<void>((resolve, reject) =>
          consumer.on('message', (message: { ready?: boolean; error?: string }) => {
            if (message.error) reject(new Error(message.error));
            if (message.ready) resolve();
          }),
        ),
    ),
  );
  return consumers;
}

/** Lets the consumers go and waits until they have received and acked `total` events between them. */
async function consume(consumers: ChildProcess[], total: number): Promise<number> {
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    for (const consumer of consumers) {
      consumer.on('message', (message: { received?: number; error?: string }) => {
        if (message.error) reject(new Error(message.error));
        received += message.received ?? 0;
        if (received >= total) resolve();
      });
      consumer.send('go');
    }
  });
  await Promise.all(consumers.map((consumer) => (consumer.send('stop'), once(consumer, 'exit'))));
  return received;
}

type PersistentSettings = {
  readonly events: number;
  readonly buffer: number;
  readonly profile: number;
};

async function run({ events, buffer, profile }: PersistentSettings): Promise<Figure[]> {
  const port = await findFreePort();
  if (profile) mkdirSync('bench-results', { recursive: true });
  const server = await startServer(port, profile ? ['--cpu-prof', '--cpu-prof-dir=bench-results'] : []);
  const serverPid = server.pid!;
  const connectionString = `esdb://127.0.0.1:${port}?tls=false`;
  const admin = EventStoreDBClient.connectionString(connectionString);
  try {
    process.stderr.write(`loading ${fmt(2 * events)} events\n`);
    await load(admin, events);
    const results: PhaseResult[] = [];
    const settings = { startFrom: START, historyBufferSize: 1000, readBatchSize: 100 } as const;
    for (const consumers of [1, 4]) {
      const group = `stream-${consumers}`;
      await admin.createPersistentSubscriptionToStream(STREAM, group, persistentSubscriptionToStreamSettingsFromDefaults(settings));
      const running = await startConsumers(connectionString, STREAM, group, consumers, buffer);
      results.push(await phase(serverPid, `stream group, ${consumers} consumer(s), acked events/s`, TARGET, () => consume(running, events)));
    }
    for (const consumers of [1, 4]) {
      const group = `all-${consumers}`;
      await admin.createPersistentSubscriptionToAll(group, persistentSubscriptionToAllSettingsFromDefaults(settings), {
        filter: streamNameFilter({ prefixes: [ALL_PREFIX] }),
      });
      const running = await startConsumers(connectionString, '$all', group, consumers, buffer);
      results.push(await phase(serverPid, `filtered $all group, ${consumers} consumer(s), acked events/s`, TARGET, () => consume(running, events)));
    }
    return phaseFigures(results, { clientBound: false });
  } finally {
    await admin.dispose();
    server.kill('SIGINT');
  }
}

export const benchmark: Benchmark<PersistentSettings> = {
  name: 'esdb-persistent',
  short: { events: 20_000, buffer: 100, profile: 0 },
  full: { events: 200_000, buffer: 100, profile: 0 },
  run,
};

await runIfMain(import.meta.url, benchmark);
