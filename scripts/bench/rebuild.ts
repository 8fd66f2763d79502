// Benchmark of `npm run ops -- rebuild` (services/ops/rebuild): how long a blue/green rebuild of the
// accounts projection takes over a preloaded `$all`, next to the projector's steady-state rate
// measured in the same run over the same events.
//   1. preload N events (services' own embedded server and a redis-server, separate processes)
//   2. steady state: one projector worker process (scripts/bench/projector-child.ts) projects them
//      into v1 until the global stats count every event
//   3. rebuild: v2 from the start of `$all` by the rebuild itself (one process, no other workers), up
//      to the switch, and then to the end (grace period, old group deleted, old keys unlinked)
// Usage: npm run bench:rebuild [-- --events 200000 --accounts 2000]   (the issue asks for --events 1000000)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { EventStoreDBClient } from '@eventstore/db-client';
import { defaultRebuildSettings, rebuildProjection } from '../../services/ops/index.ts';
import { createLogger, createRedisClient, findFreePort, startRedisServer } from '../../services/platform/index.ts';
import { defineAccountsProjection, globalKeys, namespaceOf } from '../../services/projector/index.ts';
import { fmt, startServer } from './bench-support.ts';
import { preloadAccountEvents } from './projector-load.ts';
import { ProgressBar } from '../../services/ops/progress-bar.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, accounts: { type: 'string', default: '2000' } } });
const PREFIX = 'account-';
const NAME = 'bench-rebuild';
const CHILD = new URL('./projector-child.ts', import.meta.url).pathname;

const esdbPort = await findFreePort();
const server = await startServer(esdbPort);
const connectionString = `esdb://127.0.0.1:${esdbPort}?tls=false`;
const redisServer = await startRedisServer();
const log = createLogger('bench-rebuild');
log.level = 'warn';
const redis = createRedisClient(redisServer.url, log);
await redis.connect();
const esdb = EventStoreDBClient.connectionString(connectionString);
const projection = defineAccountsProjection({ name: NAME, streamPrefix: PREFIX });

const projected = async (version: number): Promise<number> =>
  Number((await redis.hGet(globalKeys(namespaceOf(projection.atVersion(version))).stats, 'events')) ?? 0);

/** The projector benchmark's worker process, projecting v1 from the start; seconds until it has every event. */
async function steadyState(total: number): Promise<number> {
  const child = fork(CHILD, ['projector', connectionString, redisServer.url, NAME, PREFIX, '1000'], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve) => child.on('message', (message: { loaded?: boolean }) => message.loaded && resolve()));
  const started = performance.now();
  child.send('go');
  while ((await projected(1)) < total) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  child.send('stop');
  await once(child, 'exit');
  return seconds;
}

try {
  process.stderr.write(`preloading ${fmt(Number(values.events))} events over ${values.accounts} accounts\n`);
  const total = (await preloadAccountEvents(esdb, PREFIX, Number(values.events), Number(values.accounts))).length;
  const steadySeconds = await steadyState(total);
  process.stderr.write(`projector: ${fmt(total / steadySeconds)} events/s; rebuilding\n`);

  const bar = new ProgressBar({ write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY });
  const started = performance.now();
  let switchedAfter = Number.NaN;
  const outcome = await rebuildProjection(
    { esdb, redis, esdbConnectionString: connectionString, redisUrl: redisServer.url, log },
    projection,
    { ...defaultRebuildSettings, graceMs: 1_000 },
    {
      onStep: (text) => {
        bar.done();
        if (text.startsWith('Switched')) switchedAfter = (performance.now() - started) / 1000;
      },
      onProgress: (done, all) => bar.update(done, all),
    },
  );
  const totalSeconds = (performance.now() - started) / 1000;
  if (outcome.kind !== 'rebuilt' || (await projected(2)) !== total) throw new Error(`rebuild did not produce every event: ${JSON.stringify(outcome)}`);
  const row = (measure: string, seconds: number) => ({
    measure, events: fmt(total), seconds: seconds.toFixed(2), 'events/s': fmt(total / seconds), 'vs projector': `${Math.round((100 * steadySeconds) / seconds)}%`,
  });
  console.table([
    row('projector steady state, 1 worker process', steadySeconds),
    row('rebuild: start to switch (in-process worker)', switchedAfter),
    row('rebuild: start to done (incl. 1 s grace, cleanup)', totalSeconds),
  ]);
  console.log(`old version removed: ${fmt(outcome.removedKeys)} keys.`);
} finally {
  await esdb.dispose();
  redis.destroy();
  await redisServer.stop();
  server.kill('SIGINT');
}
