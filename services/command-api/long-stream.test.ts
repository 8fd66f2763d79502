// A command reads only an account's latest events (recentEvents), however long its stream. These tests
// give accounts histories many times longer than that window and check that cold replicas, stale
// caches and replicas racing each other still decide exactly as a full fold would.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendDepositHistory } from './deposit-history.ts';
import { accountEvents, mutate, newCommandApi, openedAccount } from './test-support.ts';

const RECENT_EVENTS = 8;
const writer = newCommandApi({ recentEvents: RECENT_EVENTS });

/** An EUR account opened with 10.00 and then 200 one-cent deposits: 12.00 at revision 201. */
async function longAccount(): Promise<string> {
  const accountId = await openedAccount(writer.yoga, '10');
  await appendDepositHistory(writer.esdb, { accountId, currency: 'EUR', revision: 1n, balance: 1000n }, 200);
  return accountId;
}

const coldReplica = (options: { cachedStreams?: number } = {}) => newCommandApi({ recentEvents: RECENT_EVENTS, ...options });

describe('accounts with histories longer than the events a command reads', () => {
  it('a cold replica sees the balance and currency the whole history leaves', async () => {
    const accountId = await longAccount();
    const { yoga } = coldReplica();
    expect(await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'USD' })).toMatchObject({
      __typename: 'CurrencyMismatch',
      accountCurrency: 'EUR',
    });
    expect(await mutate(yoga, 'withdrawMoney', { accountId, amount: '12.01', currency: 'EUR' })).toMatchObject({
      __typename: 'InsufficientFunds',
      available: '12.00',
    });
    expect(await mutate(yoga, 'withdrawMoney', { accountId, amount: '12', currency: 'EUR' })).toMatchObject({
      __typename: 'CommandAccepted',
      revision: 202,
    });
    expect((await accountEvents(writer.esdb, accountId)).at(-1)?.data).toMatchObject({ balanceAfter: '0.00' });
  });

  it('a cold replica refuses a deposit to an account closed after a long history', async () => {
    const accountId = await longAccount();
    await mutate(writer.yoga, 'withdrawMoney', { accountId, amount: '12', currency: 'EUR' });
    expect(await mutate(writer.yoga, 'closeAccount', { accountId })).toMatchObject({ __typename: 'CommandAccepted' });
    expect(await mutate(coldReplica().yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' })).toMatchObject({
      __typename: 'AccountClosed',
    });
  });

  it('a cold replica answers a repeat of a recent command with its original result', async () => {
    const accountId = await longAccount();
    const input = { accountId, amount: '3', currency: 'EUR', commandId: randomUUID() };
    const original = await mutate(writer.yoga, 'withdrawMoney', input);
    await mutate(writer.yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });
    expect(await mutate(coldReplica().yoga, 'withdrawMoney', input)).toEqual(original);
    expect(await accountEvents(writer.esdb, accountId)).toHaveLength(204);
  });

  it('the replica that handled a command answers its repeat with the original result while it is among the latest events', async () => {
    const accountId = await longAccount();
    const input = { accountId, amount: '3', currency: 'EUR', commandId: randomUUID() };
    const original = await mutate(writer.yoga, 'withdrawMoney', input);
    for (let deposit = 1; deposit < RECENT_EVENTS; deposit += 1) {
      await mutate(writer.yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });
    }
    expect(await mutate(writer.yoga, 'withdrawMoney', input)).toEqual(original);
    expect(await accountEvents(writer.esdb, accountId)).toHaveLength(202 + RECENT_EVENTS);
  });

  it('a replica whose cached view went stale after a long run of writes elsewhere decides on the store’s state', async () => {
    const accountId = await longAccount();
    const stale = coldReplica();
    await mutate(stale.yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });
    await appendDepositHistory(writer.esdb, { accountId, currency: 'EUR', revision: 202n, balance: 1300n }, 50);
    await mutate(writer.yoga, 'withdrawMoney', { accountId, amount: '13.50', currency: 'EUR' });

    expect(await mutate(stale.yoga, 'withdrawMoney', { accountId, amount: '0.01', currency: 'EUR' })).toMatchObject({
      __typename: 'InsufficientFunds',
      available: '0.00',
    });
    expect(await mutate(stale.yoga, 'depositMoney', { accountId, amount: '2', currency: 'EUR' })).toMatchObject({
      __typename: 'CommandAccepted',
      revision: 254,
    });
  });

  it('two replicas racing on one long account never overdraw it, and every balanceAfter follows from the one before', async () => {
    const accountId = await longAccount();
    const replicas = [coldReplica(), coldReplica({ cachedStreams: 0 })];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        mutate(replicas[index % 2]!.yoga, index % 3 === 0 ? 'depositMoney' : 'withdrawMoney', { accountId, amount: '0.50', currency: 'EUR' }),
      ),
    );
    expect(results.every((result) => ['CommandAccepted', 'InsufficientFunds'].includes(result.__typename))).toBe(true);

    const events = await accountEvents(writer.esdb, accountId);
    expect(events.map((event) => event.revision)).toEqual(events.map((_, index) => BigInt(index)));
    const cents = (text: unknown) => Math.round(Number(text) * 100);
    for (const [index, event] of events.entries()) {
      if (index < 2) continue;
      const { amount, balanceAfter } = event.data as { amount: string; balanceAfter: string };
      const before = cents((events[index - 1]?.data as { balanceAfter: string }).balanceAfter);
      expect(cents(balanceAfter)).toBe(before + (event.type === 'MoneyDeposited' ? 1 : -1) * cents(amount));
      expect(cents(balanceAfter)).toBeGreaterThanOrEqual(0);
    }
    const accepted = results.filter((result) => result.__typename === 'CommandAccepted');
    expect(events).toHaveLength(202 + accepted.length);
  });
});
