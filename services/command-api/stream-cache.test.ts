// Each replica keeps the account streams it has seen folded in memory. These tests make one replica's
// view stale by writing through another, and check that no answer is ever based on the stale view.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountEvents, mutate, newCommandApi, openedAccount } from './test-support.ts';

const first = newCommandApi();
const second = newCommandApi();

const balanceAfterLastEvent = async (accountId: string) =>
  ((await accountEvents(first.esdb, accountId)).at(-1)?.data as { balanceAfter?: string } | undefined)?.balanceAfter;

describe('replicas with cached account streams', () => {
  it('accepts a withdrawal that only another replica’s deposit makes possible', async () => {
    const accountId = await openedAccount(first.yoga, '10');
    await mutate(second.yoga, 'depositMoney', { accountId, amount: '90', currency: 'EUR' });

    const result = await mutate(first.yoga, 'withdrawMoney', { accountId, amount: '50', currency: 'EUR' });

    expect(result).toMatchObject({ __typename: 'CommandAccepted', revision: 3 });
    expect(await balanceAfterLastEvent(accountId)).toBe('50.00');
  });

  it('appends a deposit after another replica’s events, with the balance they left', async () => {
    const accountId = await openedAccount(first.yoga, '10');
    await mutate(second.yoga, 'depositMoney', { accountId, amount: '5', currency: 'EUR' });

    const result = await mutate(first.yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });

    expect(result).toMatchObject({ __typename: 'CommandAccepted', revision: 3 });
    expect(await balanceAfterLastEvent(accountId)).toBe('16.00');
  });

  it('refuses an overdraft that another replica’s withdrawal caused, though its own view says there is money', async () => {
    const accountId = await openedAccount(first.yoga, '100');
    await mutate(second.yoga, 'withdrawMoney', { accountId, amount: '100', currency: 'EUR' });

    const result = await mutate(first.yoga, 'withdrawMoney', { accountId, amount: '1', currency: 'EUR' });

    expect(result).toMatchObject({ __typename: 'InsufficientFunds' });
    expect(await accountEvents(first.esdb, accountId)).toHaveLength(3);
  });

  it('answers a command already handled by another replica with its original result and appends nothing', async () => {
    const accountId = await openedAccount(first.yoga, '10');
    const commandId = randomUUID();
    const original = await mutate(second.yoga, 'depositMoney', { accountId, amount: '7', currency: 'EUR', commandId });

    const repeated = await mutate(first.yoga, 'depositMoney', { accountId, amount: '7', currency: 'EUR', commandId });

    expect(repeated).toMatchObject({ __typename: 'CommandAccepted', revision: 2 });
    expect(repeated).toEqual(original);
    expect(await accountEvents(first.esdb, accountId)).toHaveLength(3);
  });
});
