// The phases the projector benchmarks share: consumer processes (projector-child.ts) run until done,
// and the Redis ceiling (the workers' own scripts, pipelined with no subscription in the way).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStoreDBClient } from '@eventstore/db-client';
import { createLogger, createRedisClient, findFreePort, startRedisServer, type RedisClient, type RedisTarget } from '../../services/platform/index.ts';
import { processCpuMicros, startServer } from './bench-support.ts';
import { defineAccountsProjection, globalKeys, runApplyBatch, type BatchEvent, type DeliveredEvent } from '../../services/projector/index.ts';
import { PROJECTOR_NODE_FLAGS } from '../../services/projector/node-flags.ts';

const CHILD = new URL('./projector-child.ts', import.meta.url).pathname;
export const PREFIX = 'account-';

export interface ProjectorBench {
  readonly connectionString: string;
  readonly redisTarget: RedisTarget;
  /** For polling the global stats and reading INFO. */
  readonly redis: RedisClient;
  readonly buffer: number;
  /** The store's process, for its CPU time. */
  readonly storePid: number;
}

/**
 * A fresh store (its own process) and redis-server for one projector benchmark; `work` gets them with
 * an admin client, and they are stopped when it ends.
 */
export async function withStoreAndRedis<T>(buffer: number, work: (bench: ProjectorBench & { admin: EventStoreDBClient }) => Promise<T>): Promise<T> {
  const esdbPort = await findFreePort();
  const server = await startServer(esdbPort);
  const connectionString = `esdb://127.0.0.1:${esdbPort}?tls=false`;
  const redisServer = await startRedisServer();
  const redis = createRedisClient(redisServer.target, createLogger('bench'));
  await redis.connect();
  const admin = EventStoreDBClient.connectionString(connectionString);
  try {
    return await work({ connectionString, redisTarget: redisServer.target, redis, buffer, storePid: server.pid ?? 0, admin });
  } finally {
    await admin.dispose();
    redis.destroy();
    await redisServer.stop();
    server.kill('SIGINT');
  }
}

export interface Row {
  readonly measure: string;
  readonly events: number;
  readonly seconds: number;
  readonly rssMb?: number;
  /** CPU time per event (µs) of the consumer processes together, the store and redis-server. */
  readonly cpu?: { readonly consumers: number; readonly store: number; readonly redis: number };
}

export const rate = (row: Row): number => row.events / row.seconds;

/** The group's consumer strategy, as the projector reads it from PROJECTOR_CONSUMER_STRATEGY. */
export type ConsumerStrategy = 'RoundRobin' | 'Pinned';

async function startChildren(bench: ProjectorBench, mode: string, count: number, name: string, strategy: ConsumerStrategy): Promise<ChildProcess[]> {
  const env = { ...process.env, PROJECTOR_CONSUMER_STRATEGY: strategy };
  const children = Array.from({ length: count }, () =>
    fork(CHILD, [mode, bench.connectionString, JSON.stringify(bench.redisTarget), name, PREFIX, String(bench.buffer)], { execArgv: [...PROJECTOR_NODE_FLAGS, '--import', 'tsx', ...(process.env.BENCH_CHILD_ARGS?.split(' ') ?? [])], env }),
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

/** redis-server's used_memory (INFO memory), in bytes. */
export const usedMemory = async (redis: { info(section: string): Promise<unknown> }): Promise<number> =>
  Number(/used_memory:(\d+)/.exec(String(await redis.info('memory')))?.[1] ?? Number.NaN);

/** redis-server's own CPU time (user + system) in µs, from INFO cpu. */
async function redisCpuMicros(redis: RedisClient): Promise<number> {
  const info = String(await redis.info('cpu'));
  const seconds = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(info)?.[1] ?? Number.NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

export interface PhaseOptions {
  /** Projection and group name; by default a fresh one. */
  readonly name?: string;
  readonly strategy?: ConsumerStrategy;
}

/**
 * `workers` processes of `mode` (projector, noop or naive) in a fresh group and namespace, until they
 * have handled `total` events (the projector: until its global stats count them all).
 */
export async function consumerPhase(bench: ProjectorBench, measure: string, mode: string, workers: number, total: number, options: PhaseOptions = {}): Promise<Row> {
  const name = options.name ?? `bench-${mode}-${workers}-${Date.now()}`;
  const children = await startChildren(bench, mode, workers, name, options.strategy ?? 'RoundRobin');
  const consumersCpu = () => children.reduce((sum, child) => sum + processCpuMicros(child.pid ?? 0), 0);
  const before = { consumers: consumersCpu(), store: processCpuMicros(bench.storePid), redis: await redisCpuMicros(bench.redis) };
  const caughtUp = async () => Number((await bench.redis.hGet(globalKeys({ projection: name, version: 1 }).stats, 'events')) ?? 0) >= total;
  const seconds = await timed(children, mode === 'projector' ? caughtUp : async (reported) => reported >= total);
  const cpu = {
    consumers: (consumersCpu() - before.consumers) / total,
    store: (processCpuMicros(bench.storePid) - before.store) / total,
    redis: ((await redisCpuMicros(bench.redis)) - before.redis) / total,
  };
  return { measure, events: total, seconds, cpu, rssMb: await stopChildren(children) };
}

/**
 * The same scripts the workers run, pipelined: windows of concurrent applies (one call per stream for
 * its events in the window, as a worker's stream queue batches them), each followed by its global refresh.
 */
export async function redisCeiling(bench: ProjectorBench, events: DeliveredEvent[]): Promise<Row> {
  const projection = defineAccountsProjection({ name: `bench-ceiling-${Date.now()}`, streamPrefix: PREFIX });
  const client = createRedisClient(bench.redisTarget, createLogger('bench'));
  await client.connect();
  const planned: (BatchEvent & { stream: string })[] = await Promise.all(events.map(async (event) => ({
    plan: await projection.plan(event, client), revision: event.revision, stream: event.streamName,
  })));
  const started = performance.now();
  for (let at = 0; at < planned.length; at += bench.buffer) {
    const perStream = new Map<string, (BatchEvent & { stream: string })[]>();
    for (const event of planned.slice(at, at + bench.buffer)) {
      const batch = perStream.get(event.plan.aggregateId);
      if (batch) batch.push(event);
      else perStream.set(event.plan.aggregateId, [event]);
    }
    const snapshots = await Promise.all([...perStream].map(async ([aggregateId, batch]) => {
      const applied = await runApplyBatch(client, batch, { channel: 'bench-ceiling', stream: batch[0]!.stream }, projection.snapshotFields);
      return { aggregateId, revision: applied.storedRevision, fields: applied.snapshot };
    }));
    await projection.refreshGlobals(client, snapshots);
  }
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return { measure: 'Redis ceiling: same scripts pipelined, 1 client', events: events.length, seconds };
}
