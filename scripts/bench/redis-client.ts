// What a Redis command costs through the platform's client factory, next to node-redis with its
// defaults, measured in the same run against the same redis-server: CPU µs per HGETALL in this
// process (the client's own cost, which every projector apply and query pays) and commands/s, from
// `concurrency` loops each awaiting its reply. The difference is node-redis 6's default per-command
// timeout (see services/platform/redis-client.ts).
// Usage: npm run bench:redis-client [-- --full] [-- --seconds 3 --concurrency 20]
import { createClient } from 'redis';
import { createLogger, createRedisClient, startRedisServer } from '../../services/platform/index.ts';
import type { Benchmark, Figure } from './figures.ts';
import { runIfMain } from './standalone.ts';

type RedisClientSettings = { readonly seconds: number; readonly concurrency: number };

interface Row {
  readonly perSecond: number;
  readonly cpuMicrosPerCommand: number;
}

type Hgetall = { hGetAll(key: string): Promise<unknown> };

async function measure(client: Hgetall, { seconds, concurrency }: RedisClientSettings): Promise<Row> {
  let commands = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await client.hGetAll('bench:summary');
        commands += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: commands / ((performance.now() - started) / 1000), cpuMicrosPerCommand: (cpu.user + cpu.system) / commands };
}

async function run(settings: RedisClientSettings): Promise<Figure[]> {
  const redis = await startRedisServer();
  const ours = createRedisClient({ kind: 'node', url: redis.url }, createLogger('bench'));
  const defaults = createClient({ url: redis.url, disableOfflineQueue: true });
  try {
    await Promise.all([ours.connect(), defaults.connect()]);
    await ours.hSet('bench:summary', { balance: '1250.40', currency: 'EUR', revision: '17' });
    // Each client once unmeasured (V8 compiles the command path), then alternately, so drifting load
    // on a shared machine falls on both.
    await measure(ours, { ...settings, seconds: 1 });
    await measure(defaults, { ...settings, seconds: 1 });
    const rounds = { ours: [] as Row[], defaults: [] as Row[] };
    for (let round = 0; round < 3; round += 1) {
      rounds.ours.push(await measure(ours, { ...settings, seconds: settings.seconds / 3 }));
      rounds.defaults.push(await measure(defaults, { ...settings, seconds: settings.seconds / 3 }));
    }
    const mean = (rows: Row[], pick: (row: Row) => number) => rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
    const baseline = 'node-redis defaults';
    return [
      {
        name: 'HGETALL client CPU',
        value: mean(rounds.ours, (row) => row.cpuMicrosPerCommand),
        unit: 'µs/command',
        better: 'lower',
        baseline: { name: baseline, value: mean(rounds.defaults, (row) => row.cpuMicrosPerCommand) },
        note: `platform createRedisClient; ${settings.concurrency} loops`,
      },
      {
        name: 'HGETALL throughput',
        value: mean(rounds.ours, (row) => row.perSecond),
        unit: 'commands/s',
        better: 'higher',
        baseline: { name: baseline, value: mean(rounds.defaults, (row) => row.perSecond) },
      },
    ];
  } finally {
    ours.destroy();
    defaults.destroy();
    await redis.stop();
  }
}

export const benchmark: Benchmark<RedisClientSettings> = {
  name: 'redis-client',
  short: { seconds: 3, concurrency: 20 },
  full: { seconds: 9, concurrency: 50 },
  run,
};

await runIfMain(import.meta.url, benchmark);
