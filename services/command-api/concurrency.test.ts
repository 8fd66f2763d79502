import type { EventStoreDBClient } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { newEsdbClient } from '../../test/harness.ts';
import { accountEvents, mutate, newCommandApi, openedAccount, type MutationResult } from './test-support.ts';

const { yoga, esdb } = newCommandApi();

/**
 * An EventStoreDB client whose first append is preceded by `competingWrite`, as if another replica
 * had written between this one's read and its append.
 */
function clientWithCompetingWrite(competingWrite: () => Promise<unknown>): EventStoreDBClient {
  const client = newEsdbClient();
  let competed = false;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'appendToStream') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<EventStoreDBClient['appendToStream']>) => {
        if (!competed) {
          competed = true;
          await competingWrite();
        }
        return target.appendToStream(...args);
      };
    },
  });
}

const balanceOf = async (accountId: string) => {
  const last = (await accountEvents(esdb, accountId)).at(-1);
  return (last?.data as { balanceAfter?: string } | undefined)?.balanceAfter;
};

describe('concurrent commands on one account', () => {
  it('50 concurrent withdrawals of 10 from 100: exactly 10 accepted, 40 InsufficientFunds, balance 0', async () => {
    const accountId = await openedAccount(yoga, '100');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => mutate(yoga, 'withdrawMoney', { accountId, amount: '10', currency: 'EUR' })),
    );
    const count = (type: string) => results.filter((result: MutationResult) => result.__typename === type).length;
    expect(count('CommandAccepted')).toBe(10);
    expect(count('InsufficientFunds')).toBe(40);
    const events = await accountEvents(esdb, accountId);
    expect(events.filter((event) => event.type === 'MoneyWithdrawn')).toHaveLength(10);
    expect(await balanceOf(accountId)).toBe('0.00');
  });

  it('re-reads and retries when another replica wrote between read and append, and counts the retry', async () => {
    const accountId = await openedAccount(yoga, '100');
    const replica = newCommandApi({
      esdb: clientWithCompetingWrite(() => mutate(yoga, 'depositMoney', { accountId, amount: '5', currency: 'EUR' })),
    });
    const result = await mutate(replica.yoga, 'withdrawMoney', { accountId, amount: '30', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'CommandAccepted', revision: 3 });
    expect(await balanceOf(accountId)).toBe('75.00');
    const metrics = await (await replica.yoga.fetch('http://command-api.test/metrics')).text();
    expect(metrics).toMatch(/command_conflict_retries_total\{[^}]*command="WithdrawMoney"[^}]*\} 1/);
  });

  it('answers ConcurrencyConflict instead of retrying when the client gave expectedRevision', async () => {
    const accountId = await openedAccount(yoga, '100');
    const replica = newCommandApi({
      esdb: clientWithCompetingWrite(() => mutate(yoga, 'depositMoney', { accountId, amount: '5', currency: 'EUR' })),
    });
    const result = await mutate(replica.yoga, 'withdrawMoney', { accountId, amount: '30', currency: 'EUR', expectedRevision: 1 });
    expect(result).toMatchObject({ __typename: 'ConcurrencyConflict', expectedRevision: 1, actualRevision: 2 });
    expect(await balanceOf(accountId)).toBe('105.00');
  });

  it('answers ConcurrencyConflict once the retries are used up', async () => {
    const accountId = await openedAccount(yoga, '100');
    const replica = newCommandApi({
      maxConflictRetries: 0,
      esdb: clientWithCompetingWrite(() => mutate(yoga, 'depositMoney', { accountId, amount: '5', currency: 'EUR' })),
    });
    const result = await mutate(replica.yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'ConcurrencyConflict', expectedRevision: 1, actualRevision: 2 });
  });

  it('two replicas depositing concurrently lose no deposit', async () => {
    const accountId = await openedAccount(yoga);
    // Generous retries: which replica wins each race is chance, and this test is about losing nothing.
    const [first, second] = [newCommandApi({ maxConflictRetries: 50 }), newCommandApi({ maxConflictRetries: 50 })];
    const deposits = Array.from({ length: 20 }, (_, index) =>
      mutate((index % 2 === 0 ? first : second).yoga, 'depositMoney', { accountId, amount: '1.50', currency: 'EUR' }),
    );
    const results = await Promise.all(deposits);
    expect(results.every((result) => result.__typename === 'CommandAccepted')).toBe(true);
    expect(await balanceOf(accountId)).toBe('30.00');
  });

  it('keeps accounts independent: a busy account does not block another', async () => {
    const [busy, quiet] = await Promise.all([openedAccount(yoga, '100'), openedAccount(yoga, '1')]);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => mutate(yoga, 'withdrawMoney', { accountId: busy, amount: '1', currency: 'EUR' })),
      mutate(yoga, 'withdrawMoney', { accountId: quiet, amount: '1', currency: 'EUR' }),
    ]);
    expect(results.map((result) => result.__typename)).toEqual(Array(11).fill('CommandAccepted'));
    expect(await balanceOf(quiet)).toBe('0.00');
  });
});
