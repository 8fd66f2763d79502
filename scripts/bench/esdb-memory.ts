// Benchmark of the embedded EventStoreDB-compatible server (services/esdb-memory).
//
// What it measures, all through the unmodified @eventstore/db-client against the server
// running as a separate process on this machine (so client and server each get a core):
//   - single-event appends/s with 32 concurrent writers (each awaits its append, then sends the next)
//   - batched events/s (appends of 1,000 small events each)
//   - `$all` read events/s (one forwards read of everything)
//   - catch-up subscription delivery events/s (subscribe to `$all` from the start until all seen)
//   - server RSS growth per small event after loading 1,000,000 of them (from /proc/<pid>/status)
// Each figure is printed next to its target. Usage: npm run bench:esdb [-- --events 1000000 --seconds 5]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { EventStoreDBClient, jsonEvent, START } from '@eventstore/db-client';
import { findFreePort } from '../../services/platform/index.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '5' },
  },
});
const TOTAL_EVENTS = Number(values.events);
const SECONDS = Number(values.seconds);
const WRITERS = 32;
const BATCH = 1000;

const smallEvent = (i: number) => jsonEvent({ type: 'Deposited', data: { n: i, amount: '10.00' } });

const rssBytes = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
};

const startServer = async (port: number): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/esdb-memory/main.ts', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout!, 'data');
  return child;
};

async function singleAppends(client: EventStoreDBClient): Promise<number> {
  let count = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      while (Date.now() < deadline) {
        await client.appendToStream(`single-${w}`, smallEvent(count));
        count++;
      }
    }),
  );
  return count / SECONDS;
}

async function batchedAppends(client: EventStoreDBClient, total: number, onProgress: (done: number) => void) {
  const started = performance.now();
  let done = 0;
  // Two batches in flight keep both the client and the server busy.
  const writer = async (w: number) => {
    while (done < total) {
      const size = Math.min(BATCH, total - done);
      done += size;
      await client.appendToStream(`batch-${w}-${done}`, Array.from({ length: size }, (_, i) => smallEvent(i)));
      onProgress(done);
    }
  };
  await Promise.all([writer(0), writer(1)]);
  return total / ((performance.now() - started) / 1000);
}

async function readAllRate(client: EventStoreDBClient): Promise<{ rate: number; count: number }> {
  const started = performance.now();
  let count = 0;
  for await (const _ of client.readAll({ fromPosition: START, maxCount: Number.MAX_SAFE_INTEGER })) count++;
  return { rate: count / ((performance.now() - started) / 1000), count };
}

async function subscriptionRate(client: EventStoreDBClient, expected: number): Promise<number> {
  const started = performance.now();
  const subscription = client.subscribeToAll({ fromPosition: START });
  let count = 0;
  for await (const _ of subscription) {
    if (++count >= expected) break;
  }
  await subscription.unsubscribe();
  return count / ((performance.now() - started) / 1000);
}

const port = await findFreePort();
const server = await startServer(port);
const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
try {
  const rssBefore = rssBytes(server.pid!);
  const singles = await singleAppends(client);
  const batched = await batchedAppends(client, TOTAL_EVENTS, (done) => {
    if (done % 100_000 < BATCH) process.stderr.write(`\rloading ${done}/${TOTAL_EVENTS}`);
  });
  process.stderr.write('\n');
  const rssPerEvent = (rssBytes(server.pid!) - rssBefore) / TOTAL_EVENTS;
  const read = await readAllRate(client);
  const delivered = await subscriptionRate(client, read.count);

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.table([
    { measure: 'single-event appends/s (32 writers)', value: fmt(singles), target: '>= 10,000' },
    { measure: `batched events/s (${BATCH} per append)`, value: fmt(batched), target: '>= 200,000' },
    { measure: `$all read events/s (${fmt(read.count)} events)`, value: fmt(read.rate), target: '>= 100,000' },
    { measure: 'catch-up subscription events/s', value: fmt(delivered), target: '>= 100,000' },
    { measure: `server RSS bytes per small event (${fmt(TOTAL_EVENTS)})`, value: fmt(rssPerEvent), target: '< 1,024' },
  ]);
} finally {
  await client.dispose();
  server.kill('SIGTERM');
}
