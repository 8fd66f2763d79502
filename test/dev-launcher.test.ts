import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEsdbMemory } from '../services/esdb-memory/index.ts';
import { findFreePort, startRedisServer } from '../services/platform/index.ts';
import {
  childProcessesOf,
  exitCodeOf,
  isListening,
  portCloses,
  processEnds,
  processExists,
  requestInFlight,
  startLauncher,
  waitForOutput,
  type Launcher,
} from './dev-launcher-support.ts';

const portVariables = ['ESDB_PORT', 'REDIS_PORT', 'COMMAND_API_PORT', 'QUERY_API_PORT', 'PROJECTOR_PORT'] as const;
const launchers: Launcher[] = [];
const tempDirs: string[] = [];
const redisServerPids: number[] = [];

afterEach(async () => {
  // A failed assertion must not leave a launcher (and its redis-server) running.
  for (const { child } of launchers.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of redisServerPids.splice(0)) if (processExists(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-dev-'));
  tempDirs.push(dir);
  return dir;
}

async function graphql(url: string, query: string, headers: Record<string, string> = {}): Promise<Record<string, Record<string, unknown>>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: Record<string, Record<string, unknown>>; errors?: unknown };
  if (body.data === undefined) throw new Error(`${url} answered ${JSON.stringify(body)}`);
  return body.data;
}

/** A launcher on free ports with its own data, once it has printed its addresses. */
async function runningLauncher(env: Record<string, string> = {}): Promise<{ launcher: Launcher; ports: Record<string, string>; printed: string }> {
  const ports = Object.fromEntries(await Promise.all(portVariables.map(async (name) => [name, String(await findFreePort())])));
  const launcher = startLauncher({ ...ports, DEV_DATA_DIR: await tempDir(), ...env });
  launchers.push(launcher);
  const printed = await waitForOutput(launcher, /Ledgerline is running/, 90_000);
  return { launcher, ports, printed };
}

function redisServersOf(launcher: Launcher): number[] {
  const pids = childProcessesOf(launcher.child.pid!).filter(({ command }) => command.startsWith('redis-server')).map(({ pid }) => pid);
  redisServerPids.push(...pids);
  return pids;
}

/** Opens an account through the printed command API and reads it back through the printed query API. */
async function expectWriteThenRead(printed: string): Promise<void> {
  const { openAccount } = await graphql(
    /Command API\s+(\S+)/.exec(printed)![1]!,
    'mutation { openAccount(input: {holderName: "Ada Lovelace", currency: "EUR"}) { __typename ... on CommandAccepted { aggregateId consistencyToken } } }',
    { 'x-actor': 'dev-launcher-test' },
  );
  expect(openAccount?.__typename).toBe('CommandAccepted');
  const { account } = await graphql(
    /Query API\s+(\S+)/.exec(printed)![1]!,
    `{ account(id: "${openAccount!.aggregateId}", consistencyToken: "${openAccount!.consistencyToken}") { __typename ... on Account { holderName currency balance } } }`,
  );
  expect(account).toEqual({ __typename: 'Account', holderName: 'Ada Lovelace', currency: 'EUR', balance: '0.00' });
}

describe('npm run dev', () => {
  it('starts the whole system, serves a write and its read through the printed URLs, and stops cleanly on Ctrl-C', { timeout: 150_000 }, async () => {
    const { launcher, ports, printed } = await runningLauncher();
    expect(printed).toContain(`Command API   http://127.0.0.1:${ports.COMMAND_API_PORT}/graphql`);
    expect(printed).toContain(`Query API     http://127.0.0.1:${ports.QUERY_API_PORT}/graphql`);
    expect(printed).toContain(`http://127.0.0.1:${ports.PROJECTOR_PORT}/metrics`);
    const [redisServerPid, ...others] = redisServersOf(launcher);
    expect(others).toEqual([]);
    await expectWriteThenRead(printed);

    launcher.child.kill('SIGINT');
    expect(await exitCodeOf(launcher.child, 30_000)).toBe(0);
    expect(processExists(redisServerPid!)).toBe(false);
    for (const name of portVariables) expect(await isListening(Number(ports[name])), name).toBe(false);
  });

  it('exits at once on a second Ctrl-C while draining, and still leaves no redis-server behind', { timeout: 150_000 }, async () => {
    const { launcher, ports } = await runningLauncher();
    const [redisServerPid] = redisServersOf(launcher);
    // A request whose body never ends holds the command API's graceful drain open, so the second Ctrl-C
    // surely comes while the launcher is still stopping.
    const slowRequest = await requestInFlight(Number(ports.COMMAND_API_PORT));
    launcher.child.kill('SIGINT');
    expect(await portCloses(Number(ports.COMMAND_API_PORT), 30_000)).toBe(true);
    launcher.child.kill('SIGINT');
    expect(await exitCodeOf(launcher.child, 30_000)).toBe(1);
    slowRequest.destroy();
    expect(await processEnds(redisServerPid!, 10_000)).toBe(true);
  });

  it('uses the EventStoreDB and Redis it is pointed at, starts neither, and leaves them running', { timeout: 150_000 }, async () => {
    const esdb = await startEsdbMemory({ port: 0 });
    const redis = await startRedisServer();
    try {
      const { launcher, ports, printed } = await runningLauncher({ ESDB_CONNECTION_STRING: esdb.connectionString, REDIS_URL: redis.url });
      expect(printed).toContain(`EventStoreDB  ${esdb.connectionString}   (ESDB_CONNECTION_STRING)`);
      expect(printed).toContain(`Redis         ${redis.url}   (REDIS_URL)`);
      expect(redisServersOf(launcher)).toEqual([]);
      expect(await isListening(Number(ports.ESDB_PORT))).toBe(false);
      await expectWriteThenRead(printed);

      launcher.child.kill('SIGINT');
      expect(await exitCodeOf(launcher.child, 30_000)).toBe(0);
      expect(await isListening(esdb.port)).toBe(true);
      expect(await isListening(redis.port)).toBe(true);
    } finally {
      await esdb.stop();
      await redis.stop();
    }
  });

  it('says in one sentence what to install when redis-server is missing', { timeout: 60_000 }, async () => {
    const launcher = startLauncher({ PATH: await tempDir(), DEV_DATA_DIR: await tempDir() });
    launchers.push(launcher);
    expect(await exitCodeOf(launcher.child, 45_000)).not.toBe(0);
    const { stdout, stderr } = launcher.output();
    expect(stdout).toBe('');
    expect(stderr).toBe("redis-server is not installed: install it with 'apt-get install -y redis-server' (or set REDIS_URL to a running Redis).\n");
  });
});
