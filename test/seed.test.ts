import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSeed } from '../scripts/seed/plan.ts';
import { SeedError, sendSeed } from '../scripts/seed/send.ts';
import { listenCommandApi, type RunningCommandApi } from '../services/command-api/index.ts';
import { accountEvents, newCommandApi } from '../services/command-api/test-support.ts';
import { findFreePort } from '../services/platform/index.ts';

// The seed derives every id from the seed number; a random one keeps runs against a long-lived real server apart.
const seed = Math.floor(Math.random() * 2 ** 32);
const { yoga, esdb } = newCommandApi();
let server: RunningCommandApi;
let graphqlUrl: string;

beforeAll(async () => {
  server = await listenCommandApi(yoga, 0, '127.0.0.1');
  graphqlUrl = `${server.url}/graphql`;
});
afterAll(() => server.stop());

async function runSeedCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', ...args], {
    env: { ...process.env, COMMAND_API_URL: graphqlUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return { code, stdout, stderr };
}

describe('npm run seed', () => {
  it('opens the accounts and runs their transactions through the command API, printing the account ids', { timeout: 90_000 }, async () => {
    const { code, stdout, stderr } = await runSeedCli(['--seed', String(seed), '--accounts', '3', '--transactions', '8']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/27 commands accepted.*none rejected/);

    const accounts = planSeed({ seed, accounts: 3, transactions: 8 });
    expect(new Set(accounts.map((account) => account.currency))).toEqual(new Set(['EUR', 'USD', 'JPY']));
    for (const account of accounts) {
      expect(stdout).toContain(account.accountId);
      const events = await accountEvents(esdb, account.accountId);
      expect(events.map((event) => event.type)).toEqual([
        'AccountOpened',
        ...account.commands.slice(1).map((command) => (command.mutation === 'depositMoney' ? 'MoneyDeposited' : 'MoneyWithdrawn')),
      ]);
    }
  });

  it('appends nothing new when run again with the same seed, and other accounts with another seed', { timeout: 90_000 }, async () => {
    const options = { seed: seed + 1, accounts: 2, transactions: 6 };
    const accounts = planSeed(options);
    expect(await sendSeed(accounts, graphqlUrl)).toEqual({ accepted: 14, rejected: {} });
    const eventsAfterFirstRun = await Promise.all(accounts.map((account) => accountEvents(esdb, account.accountId)));

    expect(planSeed(options)).toEqual(accounts);
    expect(await sendSeed(planSeed(options), graphqlUrl)).toEqual({ accepted: 14, rejected: {} });
    expect(await Promise.all(accounts.map((account) => accountEvents(esdb, account.accountId)))).toEqual(eventsAfterFirstRun);

    const otherIds = planSeed({ ...options, seed: seed + 2 }).map((account) => account.accountId);
    expect(otherIds.filter((id) => accounts.some((account) => account.accountId === id))).toEqual([]);
  });

  it('says how to start the system when no command API answers', async () => {
    const url = `http://127.0.0.1:${await findFreePort()}/graphql`;
    await expect(sendSeed(planSeed({ seed, accounts: 1, transactions: 1 }), url)).rejects.toThrow(
      new SeedError(`Cannot reach the command API at ${url}: start the system with 'npm run dev' or set COMMAND_API_URL.`),
    );
  });

  it('refuses a malformed option with the usage line and sends nothing', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await runSeedCli(['--accounts', 'many']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('accounts');
    expect(stderr).toContain('Usage: npm run seed');
  });
});
