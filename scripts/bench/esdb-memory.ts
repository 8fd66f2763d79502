// Benchmark of the embedded EventStoreDB-compatible server (services/esdb-memory).
//
// What it measures, all through the unmodified @eventstore/db-client against the server
// running as a separate process on this machine (so client and server each get a core):
//   - single-event appends/s with 32 concurrent writers (each awaits its append, then sends the next)
//   - batched events/s (appends of 1,000 small events each)
//   - `$all` read events/s (one forwards read of everything)
//   - catch-up subscription delivery events/s (subscribe to `$all` from the start until all seen)
//   - server RSS growth per small event after loading them (100,000 by default, 1,000,000 with --full;
//     from /proc/<pid>/status)
// Each figure is printed next to its target, with the CPU time the server process and this client
// process spent per event in that phase (from /proc and process.cpuUsage). The client's CPU per event
// is the baseline: one client process cannot go faster than 1e6 / (its µs per event), so the table
// shows the measured rate as a ratio to that client-bound ceiling, measured in the same run.
// Usage: npm run bench:esdb [-- --full] [-- --events 1000000 --seconds 5]
import { readFileSync } from 'node:fs';
import { EventStoreDBClient, jsonEvent, START } from '@eventstore/db-client';
import { findFreePort } from '../../services/platform/index.ts';
import { fmt, phase, phaseFigures, startServer, type PhaseResult } from './bench-support.ts';
import type { Benchmark, Figure } from './figures.ts';
import { runIfMain } from './standalone.ts';

const WARM_UP_SECONDS = 1;
const WRITERS = 32;
const BATCH = 1000;

const smallEvent = (i: number) => jsonEvent({ type: 'Deposited', data: { n: i, amount: '10.00' } });

const rssBytes = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
};

async function singleAppends(client: EventStoreDBClient, seconds: number): Promise<number> {
  let count = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      while (Date.now() < deadline) {
        await client.appendToStream(`single-${w}`, smallEvent(count));
        count++;
      }
    }),
  );
  return count;
}

async function batchedAppends(client: EventStoreDBClient, total: number, onProgress: (done: number) => void) {
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
  return total;
}

async function readAll(client: EventStoreDBClient): Promise<number> {
  let count = 0;
  for await (const _ of client.readAll({ fromPosition: START, maxCount: Number.MAX_SAFE_INTEGER })) count++;
  return count;
}

async function subscribeToAll(client: EventStoreDBClient, expected: number): Promise<number> {
  const subscription = client.subscribeToAll({ fromPosition: START });
  let count = 0;
  for await (const _ of subscription) {
    if (++count >= expected) break;
  }
  await subscription.unsubscribe();
  return count;
}

async function run({ events: totalEvents, seconds }: { events: number; seconds: number }): Promise<Figure[]> {
  const port = await findFreePort();
  const server = await startServer(port);
  const serverPid = server.pid!;
  const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false`);
  try {
    const results: PhaseResult[] = [];
    // Unmeasured: lets both processes' JIT compile the append path before it is timed.
    await singleAppends(client, WARM_UP_SECONDS);
    results.push(
      await phase(serverPid, `single-event appends/s (${WRITERS} writers)`, '>= 10,000', () => singleAppends(client, seconds)),
    );
    const rssBefore = rssBytes(serverPid);
    results.push(
      await phase(serverPid, `batched events/s (${BATCH} per append)`, '>= 200,000', () =>
        batchedAppends(client, totalEvents, (done) => {
          if (done % 100_000 < BATCH) process.stderr.write(`\rloading ${fmt(done)}/${fmt(totalEvents)}`);
        }),
      ),
    );
    process.stderr.write('\n');
    const rssPerEvent = (rssBytes(serverPid) - rssBefore) / totalEvents;
    let allEvents = 0;
    results.push(await phase(serverPid, '$all read events/s', '>= 100,000', async () => (allEvents = await readAll(client))));
    results.push(await phase(serverPid, 'catch-up subscription events/s', '>= 100,000', () => subscribeToAll(client, allEvents)));
    return [
      ...phaseFigures(results, { clientBound: true }),
      { name: `server RSS per small event (${fmt(totalEvents)} loaded)`, value: rssPerEvent, unit: 'bytes', better: 'lower', note: 'target < 1,024' },
    ];
  } finally {
    await client.dispose();
    server.kill('SIGTERM');
  }
}

export const benchmark: Benchmark<{ events: number; seconds: number }> = {
  name: 'esdb-memory',
  short: { events: 100_000, seconds: 3 },
  full: { events: 1_000_000, seconds: 5 },
  run,
};

await runIfMain(import.meta.url, benchmark);
