import { randomUUID } from 'node:crypto';
import { jsonEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { loadAccountStream } from './account-stream.ts';
import { mutate, newCommandApi } from './test-support.ts';

const { yoga, esdb } = newCommandApi();

/** Writes events the way an older release did: AccountOpened v1 had `owner` and no `minorUnits`. */
async function writeOldShapedAccount(accountId: string, withMetadata: boolean): Promise<void> {
  const data = { accountId, owner: 'Grace Hopper', currency: 'KWD' };
  const metadata = { schemaVersion: 1, occurredAt: '2019-03-01T09:00:00.000Z', commandId: randomUUID(), actor: 'legacy' };
  const deposited = {
    type: 'MoneyDeposited',
    data: { accountId, amount: '1.250', balanceAfter: '1.250', currency: 'KWD' },
    ...(withMetadata ? { metadata: { ...metadata, commandId: randomUUID() } } : {}),
  };
  await esdb.appendToStream(`account-${accountId}`, [
    jsonEvent({ type: 'AccountOpened', data, ...(withMetadata ? { metadata } : {}) }),
    jsonEvent(deposited),
  ]);
}

describe('old event shapes in the store', () => {
  it.each([
    ['with schemaVersion 1 in metadata', true],
    ['from before events had metadata', false],
  ])('a v1 AccountOpened %s is upcast and folded', async (_case, withMetadata) => {
    const accountId = randomUUID();
    await writeOldShapedAccount(accountId, withMetadata);
    const loaded = await loadAccountStream(esdb, `account-${accountId}`, 100);
    expect(loaded.state).toEqual({ status: 'open', accountId, currency: 'KWD', balance: 1250n });
    expect(loaded.revision).toBe(1n);
  });

  it('commands on an account opened by an old release see its currency and balance', async () => {
    const accountId = randomUUID();
    await writeOldShapedAccount(accountId, true);
    expect(await mutate(yoga, 'withdrawMoney', { accountId, amount: '2', currency: 'KWD' })).toMatchObject({
      __typename: 'InsufficientFunds',
      available: '1.250',
    });
    expect(await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' })).toMatchObject({
      __typename: 'CurrencyMismatch',
      accountCurrency: 'KWD',
    });
    expect(await mutate(yoga, 'withdrawMoney', { accountId, amount: '1.25', currency: 'KWD' })).toMatchObject({
      __typename: 'CommandAccepted',
      revision: 2,
    });
  });

  it('refuses to fold a stream holding an event of a schema version this code does not know', async () => {
    const accountId = randomUUID();
    await esdb.appendToStream(`account-${accountId}`, [
      jsonEvent({ type: 'AccountOpened', data: { accountId }, metadata: { schemaVersion: 9 } }),
    ]);
    await expect(loadAccountStream(esdb, `account-${accountId}`, 100)).rejects.toThrow(/schemaVersion 9/);
    const result = await yoga.fetch('http://command-api.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: CloseAccountInput!) { closeAccount(input: $input) { __typename } }',
        variables: { input: { accountId } },
      }),
    });
    // Internal failures are masked: the client learns something went wrong, not how.
    const body = await result.text();
    expect(body).toContain('Unexpected error.');
    expect(body).not.toMatch(/schemaVersion|stack|\.ts/);
  });
});
