import { afterAll, describe, expect, it } from 'vitest';
import { randomSource as seededRandom } from '../scripts/seed/plan.ts';
import { accountEvents, balanceOf, commands, esdb, finishedTransfer, mutate, openedAccount, processManagerFactory, requestTransfer } from './transfers-support.ts';

const SEED = Number(process.env.TRANSFERS_SEED ?? 20_261_123);
const ACCOUNTS = 20;
const TRANSFERS = 1_000;
const CONCURRENCY = 40;
const cents = (minor: bigint): string => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
const toCents = (amount: string): bigint => BigInt(amount.replace('.', ''));

const managers = processManagerFactory();
afterAll(() => managers.stopAll());

/** Runs the tasks with at most `limit` in flight at once. */
async function runConcurrently(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

describe(`1,000 random concurrent transfers among 20 accounts, with deposits and closings (seed ${SEED})`, () => {
  it('conserve money, never take a balance below zero, and all reach a final status', { timeout: 120_000 }, async () => {
    const random = seededRandom(SEED);
    const pick = (): number => Math.floor(random() * ACCOUNTS);
    await managers.start();
    let moneyIn = 0n;
    const accounts: string[] = [];
    for (let index = 0; index < ACCOUNTS; index += 1) {
      const opening = BigInt(10_000 + Math.floor(random() * 90_000));
      accounts.push(await openedAccount(commands, cents(opening)));
      moneyIn += opening;
    }

    const transferIds: string[] = [];
    const tasks: (() => Promise<void>)[] = [];
    for (let index = 0; index < TRANSFERS; index += 1) {
      const from = pick();
      const to = (from + 1 + Math.floor(random() * (ACCOUNTS - 1))) % ACCOUNTS;
      const amount = cents(BigInt(1 + Math.floor(random() * 20_000)));
      tasks.push(async () => void transferIds.push(await requestTransfer(accounts[from]!, accounts[to]!, amount)));
      if (index % 10 === 0) {
        const account = accounts[pick()]!;
        const deposit = BigInt(1 + Math.floor(random() * 5_000));
        tasks.push(async () => {
          const result = await mutate(commands, 'depositMoney', { accountId: account, amount: cents(deposit), currency: 'EUR' });
          if (result.__typename === 'CommandAccepted') moneyIn += deposit;
        });
      }
      if (index % 200 === 199) {
        // The holder empties the account and closes it while transfers to and from it are in flight.
        const account = accounts[pick()]!;
        tasks.push(async () => {
          // Transfers keep crediting it, so the holder tries a few times.
          for (let attempt = 0; attempt < 10; attempt += 1) {
            const balance = await balanceOf(account);
            if (toCents(balance) > 0n) {
              const result = await mutate(commands, 'withdrawMoney', { accountId: account, amount: balance, currency: 'EUR' });
              if (result.__typename === 'CommandAccepted') moneyIn -= toCents(balance);
            }
            const closed = await mutate(commands, 'closeAccount', { accountId: account });
            if (closed.__typename === 'CommandAccepted' || closed.__typename === 'AccountClosed') return;
          }
        });
      }
    }
    await runConcurrently(tasks, CONCURRENCY);
    expect(transferIds).toHaveLength(TRANSFERS);

    const finals = new Map<string, string>();
    for (const transferId of transferIds) finals.set(transferId, (await finishedTransfer(transferId, 60_000)).at(-1)!.type);

    const legs = new Map<string, string[]>();
    let total = 0n;
    for (const account of accounts) {
      const events = await accountEvents(esdb, account);
      for (const event of events) {
        const data = event.data as { balanceAfter?: string; transfer?: { transferId: string; leg: string } };
        if (data.balanceAfter !== undefined) expect(toCents(data.balanceAfter), `${account}@${event.revision}`).toBeGreaterThanOrEqual(0n);
        if (data.transfer) legs.set(data.transfer.transferId, [...(legs.get(data.transfer.transferId) ?? []), data.transfer.leg].sort());
      }
      total += toCents(await balanceOf(account));
    }
    expect(total).toBe(moneyIn);
    const expectedLegs: Record<string, string[]> = { TransferCompleted: ['credit', 'debit'], TransferRejected: [], TransferFailed: ['debit', 'refund'] };
    for (const [transferId, final] of finals) expect([transferId, legs.get(transferId) ?? []]).toEqual([transferId, expectedLegs[final]]);
    const counts = [...finals.values()].reduce((tally, type) => tally.set(type, (tally.get(type) ?? 0) + 1), new Map<string, number>());
    // A run that rejected or failed nothing (or completed nothing) would not have tested much.
    expect([...counts.keys()].sort()).toEqual(['TransferCompleted', 'TransferFailed', 'TransferRejected']);
  });
});
