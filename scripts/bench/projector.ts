// Benchmark of the projector (services/projector): how fast workers bring the accounts read models
// to caught-up, against what the pieces around them allow.
//   - no-op consumer: the same kind of group ($all, filtered by prefix), acking each event unread
//   - projector, 1 and 2 worker processes (RoundRobin), until the global stats count every event
//   - Redis ceiling: the very same apply scripts and global refreshes, pipelined from one client with
//     no subscription in the way
//   - naive projector: one event at a time, every Redis call and the ack awaited in turn
// Every phase uses its own projection namespace and group, over the same preloaded events. The server
// (services/esdb-memory), redis-server and the workers are separate processes on the same machine.
// Usage: npm run bench:projector [-- --events 200000 --accounts 2000 --buffer 1000 --naive-events 20000]
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { EventStoreDBClient } from '@eventstore/db-client';
import { createClient } from 'redis';
import { createLogger, createRedisClient, findFreePort, startRedisServer } from '../../services/platform/index.ts';
import { defineAccountsProjection, globalKeys, runApplyBatch, type BatchEvent, type DeliveredEvent } from '../../services/projector/index.ts';
import { fmt, startServer } from './bench-support.ts';
import { preloadAccountEvents } from './projector-load.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    accounts: { type: 'string', default: '2000' },
    buffer: { type: 'string', default: '1000' },
    'naive-events': { type: 'string', default: '20000' },
  },
});
const EVENTS = Number(values.events);
const BUFFER = values.buffer;
const NAIVE_EVENTS = Number(values['naive-events']);
const PREFIX = 'account-';
const CHILD = new URL('./projector-child.ts', import.meta.url).pathname;

interface Row {
  readonly measure: string;
  readonly events: number;
  readonly seconds: number;
  readonly rssMb?: number;
}

async function startChildren(mode: string, count: number, name: string): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    fork(CHILD, [mode, connectionString, redisUrl, name, PREFIX, BUFFER], { execArgv: ['--import', 'tsx'] }),
  );
  await Promise.all(children.map((child) => new Promise<void>((resolve, reject) =>
    child.on('message', (message: { loaded?: boolean; error?: string }) => {
      if (message.error) reject(new Error(message.error));
      if (message.loaded) resolve();
    }),
  )));
  return children;
}

async function stopChildren(children: ChildProcess[]): Promise<number> {
  const rss = await Promise.all(children.map((child) => new Promise<number>((resolve) => {
    child.on('message', (message: { rss?: number }) => message.rss !== undefined && resolve(message.rss));
    child.send('stop');
  })));
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
  return Math.max(...rss) / 2 ** 20;
}

/** Runs consumers until `done()` says so; returns seconds from "go". */
async function timed(children: ChildProcess[], done: (reported: number) => Promise<boolean>): Promise<number> {
  let reported = 0;
  for (const child of children) child.on('message', (message: { count?: number }) => (reported += message.count ?? 0));
  const started = performance.now();
  for (const child of children) child.send('go');
  while (!(await done(reported))) await sleep(20);
  return (performance.now() - started) / 1000;
}

const caughtUp = (name: string, total: number) => async () =>
  Number((await redis.hGet(globalKeys({ projection: name, version: 1 }).stats, 'events')) ?? 0) >= total;

async function consumerPhase(measure: string, mode: string, workers: number, total: number): Promise<Row> {
  const name = `bench-${mode}-${workers}-${Date.now()}`;
  const children = await startChildren(mode, workers, name);
  const seconds = await timed(children, mode === 'projector' ? caughtUp(name, total) : async (reported) => reported >= total);
  return { measure, events: total, seconds, rssMb: await stopChildren(children) };
}

/**
 * The same scripts the workers run, pipelined: windows of concurrent applies (one call per stream for
 * its events in the window, as a worker's stream queue batches them), each followed by its global refresh.
 */
async function redisCeiling(events: DeliveredEvent[]): Promise<Row> {
  const projection = defineAccountsProjection({ name: `bench-ceiling-${Date.now()}`, streamPrefix: PREFIX });
  const client = createRedisClient(redisUrl, createLogger('bench'));
  await client.connect();
  const planned: BatchEvent[] = await Promise.all(events.map(async (event) => ({
    plan: await projection.plan(event, client), revision: event.revision, message: JSON.stringify({ stream: event.streamName, revision: Number(event.revision) }),
  })));
  const started = performance.now();
  const WINDOW = Number(BUFFER);
  for (let at = 0; at < planned.length; at += WINDOW) {
    const perStream = new Map<string, BatchEvent[]>();
    for (const event of planned.slice(at, at + WINDOW)) {
      const batch = perStream.get(event.plan.aggregateId);
      if (batch) batch.push(event);
      else perStream.set(event.plan.aggregateId, [event]);
    }
    const snapshots = await Promise.all([...perStream].map(async ([aggregateId, batch]) => {
      const applied = await runApplyBatch(client, batch, 'bench-ceiling', projection.snapshotFields);
      return { aggregateId, revision: applied.storedRevision, fields: applied.snapshot };
    }));
    await projection.refreshGlobals(client, snapshots);
  }
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return { measure: 'Redis ceiling: same scripts pipelined, 1 client', events: events.length, seconds };
}

const esdbPort = await findFreePort();
const server = await startServer(esdbPort);
const connectionString = `esdb://127.0.0.1:${esdbPort}?tls=false`;
const redisServer = await startRedisServer();
const redisUrl = redisServer.url;
const redis = createClient({ url: redisUrl });
await redis.connect();
const admin = EventStoreDBClient.connectionString(connectionString);
try {
  process.stderr.write(`preloading ${fmt(EVENTS)} events over ${values.accounts} accounts\n`);
  const events = await preloadAccountEvents(admin, PREFIX, EVENTS, Number(values.accounts));
  const total = events.length;
  const naiveEvents = Math.min(NAIVE_EVENTS, total);
  const rows: Row[] = [];
  for (const workers of [1, 2]) {
    rows.push(await consumerPhase(`no-op consumer (ack only), ${workers} process(es)`, 'noop', workers, total));
    rows.push(await consumerPhase(`projector, ${workers} worker(s)`, 'projector', workers, total));
    process.stderr.write(`done with ${workers} worker(s)\n`);
  }
  rows.push(await redisCeiling(events));
  rows.push(await consumerPhase('naive projector (1 event at a time), 1 process', 'naive', 1, naiveEvents));

  const rate = (row: Row) => row.events / row.seconds;
  const noop = (workers: number) => rate(rows.find((row) => row.measure.startsWith(`no-op consumer (ack only), ${workers}`))!);
  console.table(rows.map((row) => {
    const workers = /(\d) (worker|process)/.exec(row.measure)?.[1];
    return {
      measure: row.measure,
      events: fmt(row.events),
      seconds: row.seconds.toFixed(2),
      'events/s': fmt(rate(row)),
      'vs no-op (same process count)': workers ? `${((100 * rate(row)) / noop(Number(workers))).toFixed(0)}%` : '',
      'vs no-op, 1 process': `${((100 * rate(row)) / noop(1)).toFixed(0)}%`,
      'peak RSS MB': row.rssMb === undefined ? '' : row.rssMb.toFixed(0),
    };
  }));
  console.log(`consumer buffer ${BUFFER}; projector = caught up when the global stats count every event; naive measured over its first ${fmt(naiveEvents)} events.`);
} finally {
  await admin.dispose();
  redis.destroy();
  await redisServer.stop();
  server.kill('SIGINT');
}
