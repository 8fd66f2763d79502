import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer } from '../../test/auth-support.ts';
import type { SealedText } from '../domain/index.ts';
import { openerFor } from '../platform/index.ts';
import { accountEvents, mutate, newCommandApi, openedAccount, testKeyStore } from './test-support.ts';

const { yoga, esdb } = newCommandApi();

describe('openAccount', () => {
  it('appends AccountOpened (schema v3, holder name sealed) with the request’s metadata and answers CommandAccepted', async () => {
    const accountId = randomUUID();
    const headers = { 'x-correlation-id': `corr-${accountId}`, ...(await bearer({ subject: 'teller-7', roles: ['teller'] })) };
    const result = await mutate(yoga, 'openAccount', { accountId, holderName: ' Ada Lovelace ', currency: 'JPY', commandId: `open-${accountId}`, reason: 'walk-in' }, headers);

    expect(result).toMatchObject({
      __typename: 'CommandAccepted',
      aggregateId: accountId,
      streamName: `account-${accountId}`,
      revision: 0,
      consistencyToken: `account-${accountId}@0`,
    });
    expect(result.position).toMatch(/^\d+$/);
    const [opened, ...rest] = await accountEvents(esdb, accountId);
    expect(rest).toEqual([]);
    expect(opened).toMatchObject({
      type: 'AccountOpened',
      data: { accountId, holderName: { alg: 'A256GCM', iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) }, currency: 'JPY', minorUnits: 0 },
      metadata: {
        schemaVersion: 3,
        $correlationId: `corr-${accountId}`,
        $causationId: `open-${accountId}`,
        commandId: `open-${accountId}`,
        actor: 'teller-7',
        reason: 'walk-in',
      },
    });
    expect(Date.parse(String(opened?.metadata.occurredAt))).not.toBeNaN();
    expect(JSON.stringify(opened?.data)).not.toContain('Ada');
    const open = openerFor(await testKeyStore.find(accountId), accountId);
    expect(open((opened?.data as { holderName: SealedText }).holderName)).toBe('Ada Lovelace');
  });

  it('generates a correlation id when the request has none; the actor is the token’s subject', async () => {
    const accountId = randomUUID();
    await mutate(yoga, 'openAccount', { accountId, holderName: 'Ada', currency: 'EUR' });
    const [opened] = await accountEvents(esdb, accountId);
    expect(opened?.metadata).toMatchObject({ $correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/), actor: 'test-staff' });
    expect(opened?.metadata).not.toHaveProperty('reason');
  });

  it('derives the account id from the commandId when none is given, so a retried open opens the same account', async () => {
    const commandId = randomUUID();
    const first = await mutate(yoga, 'openAccount', { holderName: 'Ada', currency: 'EUR', commandId });
    const again = await mutate(yoga, 'openAccount', { holderName: 'Ada', currency: 'EUR', commandId });
    expect(first.__typename).toBe('CommandAccepted');
    expect(again).toEqual(first);
  });

  it('answers AccountAlreadyExists for an id that is taken', async () => {
    const accountId = await openedAccount(yoga);
    const result = await mutate(yoga, 'openAccount', { accountId, holderName: 'Someone Else', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'AccountAlreadyExists', accountId });
    expect(await accountEvents(esdb, accountId)).toHaveLength(1);
  });
});

describe('depositMoney', () => {
  it('appends MoneyDeposited with the amount and the balance after, as decimal strings', async () => {
    const accountId = await openedAccount(yoga, '100.25');
    const result = await mutate(yoga, 'depositMoney', { accountId, amount: '0.75', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'CommandAccepted', revision: 2, consistencyToken: `account-${accountId}@2` });
    const events = await accountEvents(esdb, accountId);
    expect(events.at(-1)).toMatchObject({
      type: 'MoneyDeposited',
      data: { accountId, amount: '0.75', balanceAfter: '101.00', currency: 'EUR' },
      metadata: { schemaVersion: 1 },
    });
  });

  it('answers AccountNotFound for an account never opened', async () => {
    const accountId = randomUUID();
    const result = await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'AccountNotFound', accountId });
    expect(await accountEvents(esdb, accountId)).toEqual([]);
  });

  it('answers CurrencyMismatch for another currency', async () => {
    const accountId = await openedAccount(yoga);
    const result = await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'USD' });
    expect(result).toMatchObject({ __typename: 'CurrencyMismatch', accountCurrency: 'EUR', requestedCurrency: 'USD' });
  });

  it('answers AccountClosed for a closed account', async () => {
    const accountId = await openedAccount(yoga);
    await mutate(yoga, 'closeAccount', { accountId });
    const result = await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'AccountClosed', accountId });
    expect(await accountEvents(esdb, accountId)).toHaveLength(2);
  });
});

describe('withdrawMoney', () => {
  it('can take the balance to exactly zero', async () => {
    const accountId = await openedAccount(yoga, '10.00');
    const result = await mutate(yoga, 'withdrawMoney', { accountId, amount: '10', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'CommandAccepted', revision: 2 });
    expect((await accountEvents(esdb, accountId)).at(-1)).toMatchObject({
      type: 'MoneyWithdrawn',
      data: { amount: '10.00', balanceAfter: '0.00' },
    });
  });

  it('answers InsufficientFunds with the available balance for one minor unit too many', async () => {
    const accountId = await openedAccount(yoga, '10.00');
    const result = await mutate(yoga, 'withdrawMoney', { accountId, amount: '10.01', currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'InsufficientFunds', accountId, available: '10.00', requested: '10.01', currency: 'EUR' });
    expect(await accountEvents(esdb, accountId)).toHaveLength(2);
  });

  it('answers AccountNotFound, AccountClosed and CurrencyMismatch like a deposit does', async () => {
    expect((await mutate(yoga, 'withdrawMoney', { accountId: randomUUID(), amount: '1', currency: 'EUR' })).__typename).toBe('AccountNotFound');
    const accountId = await openedAccount(yoga, '5', 'GBP');
    expect(await mutate(yoga, 'withdrawMoney', { accountId, amount: '1', currency: 'EUR' })).toMatchObject({ __typename: 'CurrencyMismatch' });
    await mutate(yoga, 'withdrawMoney', { accountId, amount: '5', currency: 'GBP' });
    await mutate(yoga, 'closeAccount', { accountId });
    expect(await mutate(yoga, 'withdrawMoney', { accountId, amount: '1', currency: 'GBP' })).toMatchObject({ __typename: 'AccountClosed' });
  });
});

describe('closeAccount', () => {
  it('closes an empty account', async () => {
    const accountId = await openedAccount(yoga);
    const result = await mutate(yoga, 'closeAccount', { accountId, reason: 'customer request' });
    expect(result).toMatchObject({ __typename: 'CommandAccepted', revision: 1 });
    expect((await accountEvents(esdb, accountId)).at(-1)).toMatchObject({ type: 'AccountClosed', metadata: { reason: 'customer request' } });
  });

  it('answers BalanceNotZero while money is left', async () => {
    const accountId = await openedAccount(yoga, '0.01');
    const result = await mutate(yoga, 'closeAccount', { accountId });
    expect(result).toMatchObject({ __typename: 'BalanceNotZero', balance: '0.01', currency: 'EUR' });
  });

  it('answers AccountNotFound and AccountClosed', async () => {
    expect((await mutate(yoga, 'closeAccount', { accountId: randomUUID() })).__typename).toBe('AccountNotFound');
    const accountId = await openedAccount(yoga);
    await mutate(yoga, 'closeAccount', { accountId });
    expect((await mutate(yoga, 'closeAccount', { accountId })).__typename).toBe('AccountClosed');
  });
});

describe('expectedRevision', () => {
  it('is accepted when it matches the stream', async () => {
    const accountId = await openedAccount(yoga);
    expect(await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'EUR', expectedRevision: 0 })).toMatchObject({
      __typename: 'CommandAccepted',
      revision: 1,
    });
  });

  it('answers ConcurrencyConflict with expected and actual revisions when stale, and appends nothing', async () => {
    const accountId = await openedAccount(yoga, '5');
    const result = await mutate(yoga, 'withdrawMoney', { accountId, amount: '1', currency: 'EUR', expectedRevision: 0 });
    expect(result).toMatchObject({ __typename: 'ConcurrencyConflict', streamName: `account-${accountId}`, expectedRevision: 0, actualRevision: 1 });
    expect(await accountEvents(esdb, accountId)).toHaveLength(2);
  });
});
