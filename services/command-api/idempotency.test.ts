import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountEvents, mutate, newCommandApi, openedAccount } from './test-support.ts';

const { yoga, esdb } = newCommandApi();

describe('a repeated commandId appends nothing new and answers the same result', () => {
  it('sent again after it succeeded, even after later commands', async () => {
    const accountId = await openedAccount(yoga, '10');
    const input = { accountId, amount: '2.50', currency: 'EUR', commandId: randomUUID() };
    const first = await mutate(yoga, 'withdrawMoney', input);
    await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });
    const again = await mutate(yoga, 'withdrawMoney', input);
    expect(first).toMatchObject({ __typename: 'CommandAccepted', revision: 2 });
    expect(again).toEqual(first);
    expect((await accountEvents(esdb, accountId)).map((event) => event.type)).toEqual([
      'AccountOpened',
      'MoneyDeposited',
      'MoneyWithdrawn',
      'MoneyDeposited',
    ]);
  });

  it('sent 10 times concurrently to one instance', async () => {
    const accountId = await openedAccount(yoga, '10');
    const input = { accountId, amount: '1', currency: 'EUR', commandId: randomUUID() };
    const results = await Promise.all(Array.from({ length: 10 }, () => mutate(yoga, 'withdrawMoney', input)));
    expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
    expect(results[0]).toMatchObject({ __typename: 'CommandAccepted', revision: 2 });
    expect(await accountEvents(esdb, accountId)).toHaveLength(3);
  });

  it('sent concurrently to two replicas, where only the store can tell it is a repeat', async () => {
    const accountId = await openedAccount(yoga, '10');
    const replicas = [newCommandApi({ maxConflictRetries: 50 }), newCommandApi({ maxConflictRetries: 50 })];
    const input = { accountId, amount: '1', currency: 'EUR', commandId: randomUUID() };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => mutate((replicas[index % 2] ?? replicas[0]!).yoga, 'withdrawMoney', input)),
    );
    expect(results.map((result) => result.revision)).toEqual(Array(10).fill(2));
    expect(new Set(results.map((result) => result.position)).size).toBe(1);
    expect(await accountEvents(esdb, accountId)).toHaveLength(3);
  });

  it('sent again after a restart (a new instance with a new store connection)', async () => {
    const accountId = randomUUID();
    const input = { accountId, holderName: 'Ada', currency: 'EUR', commandId: randomUUID() };
    const first = await mutate(yoga, 'openAccount', input);
    const restarted = newCommandApi();
    expect(await mutate(restarted.yoga, 'openAccount', input)).toEqual(first);
    expect(await accountEvents(esdb, accountId)).toHaveLength(1);
  });

  it('gives the events of a command deterministic ids, so the store itself can deduplicate', async () => {
    const [one, two] = [await openedAccount(yoga), await openedAccount(yoga)];
    const commandId = randomUUID();
    await mutate(yoga, 'depositMoney', { accountId: one, amount: '1', currency: 'EUR', commandId });
    await mutate(yoga, 'depositMoney', { accountId: two, amount: '1', currency: 'EUR', commandId });
    const [first, second] = [(await accountEvents(esdb, one)).at(-1), (await accountEvents(esdb, two)).at(-1)];
    expect(first?.id).toBe(second?.id);
  });

  it('answers a repeat with the original result even when the repeat carries other values', async () => {
    const accountId = await openedAccount(yoga, '10');
    const commandId = randomUUID();
    const first = await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR', commandId });
    const changed = await mutate(yoga, 'depositMoney', { accountId, amount: '999', currency: 'EUR', commandId });
    expect(changed).toEqual(first);
    expect((await accountEvents(esdb, accountId)).at(-1)?.data).toMatchObject({ amount: '1.00', balanceAfter: '11.00' });
  });
});
