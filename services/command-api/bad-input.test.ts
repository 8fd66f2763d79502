import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountEvents, mutate, mutationDocument, newCommandApi, openedAccount, postGraphql } from './test-support.ts';

const { yoga, esdb } = newCommandApi();

describe('invalid input answers ValidationFailed with field paths and appends nothing', () => {
  it.each([
    ['a negative amount', '-5.00', 'Amount must be greater than zero'],
    ['a zero amount', '0.00', 'Amount must be greater than zero'],
    ['more decimals than EUR has', '1.001', 'EUR amounts have at most 2 decimal places'],
    ['an exponent', '1e3', 'Amount must be a decimal number such as "12.50"'],
    ['an amount above the maximum', '1000000000.01', 'Amount must be at most 1000000000.00 EUR'],
  ])('%s', async (_case, amount, message) => {
    const accountId = await openedAccount(yoga, '10');
    const result = await mutate(yoga, 'depositMoney', { accountId, amount, currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'ValidationFailed', issues: [{ path: ['input', 'amount'], message }] });
    expect(await accountEvents(esdb, accountId)).toHaveLength(2);
  });

  it('a malformed account id, an unknown currency and a blank name, all reported at once', async () => {
    const result = await mutate(yoga, 'openAccount', { accountId: 'account-1', holderName: '  ', currency: 'XXX' });
    expect(result.__typename).toBe('ValidationFailed');
    expect(result.issues).toEqual([
      { path: ['input', 'accountId'], message: expect.stringContaining('UUID') },
      { path: ['input', 'holderName'], message: 'Must not be blank' },
      { path: ['input', 'currency'], message: expect.stringContaining('ISO 4217') },
    ]);
  });

  it('an unknown currency on a deposit', async () => {
    const accountId = await openedAccount(yoga);
    const result = await mutate(yoga, 'depositMoney', { accountId, amount: '1', currency: 'eur' });
    expect(result).toMatchObject({ __typename: 'ValidationFailed', issues: [{ path: ['input', 'currency'] }] });
    expect(await accountEvents(esdb, accountId)).toHaveLength(1);
  });

  it('a malformed commandId, a negative expectedRevision and an overlong reason', async () => {
    const accountId = await openedAccount(yoga);
    const result = await mutate(yoga, 'closeAccount', { accountId, commandId: 'has spaces', expectedRevision: -1, reason: 'x'.repeat(501) });
    expect(result.issues).toEqual([
      { path: ['input', 'commandId'], message: expect.any(String) },
      { path: ['input', 'reason'], message: 'Must be at most 500 characters' },
      { path: ['input', 'expectedRevision'], message: 'Must be a stream revision (0 or more)' },
    ]);
    expect(await accountEvents(esdb, accountId)).toHaveLength(1);
  });

  it('a holder name longer than 200 characters', async () => {
    const accountId = randomUUID();
    const result = await mutate(yoga, 'openAccount', { accountId, holderName: 'x'.repeat(201), currency: 'EUR' });
    expect(result).toMatchObject({ __typename: 'ValidationFailed', issues: [{ path: ['input', 'holderName'] }] });
    expect(await accountEvents(esdb, accountId)).toEqual([]);
  });
});

describe('malformed requests answer a GraphQL error and append nothing', () => {
  it('refuses a 10 MB body with 413 before parsing it', async () => {
    const accountId = randomUUID();
    const body = JSON.stringify({
      query: mutationDocument('openAccount'),
      variables: { input: { accountId, holderName: 'x'.repeat(10 * 1024 * 1024), currency: 'EUR' } },
    });
    const { status, json } = await postGraphql(yoga, body);
    expect(status).toBe(413);
    expect(json.errors?.[0]?.message).toBe('Request body too large');
    expect(await accountEvents(esdb, accountId)).toEqual([]);
  });

  it('answers a syntax error for malformed GraphQL', async () => {
    const { json } = await postGraphql(yoga, JSON.stringify({ query: 'mutation { openAccount(input: {' }));
    expect(json.errors?.[0]?.message).toMatch(/^Syntax Error/);
    expect(json.data).toBeUndefined();
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { status, json } = await postGraphql(yoga, '{"query": ');
    expect(status).toBe(400);
    expect(json.errors?.[0]?.message).toMatch(/JSON/i);
  });

  it('answers a coercion error for an amount sent as a number, not a decimal string', async () => {
    const accountId = await openedAccount(yoga);
    const body = JSON.stringify({ query: mutationDocument('depositMoney'), variables: { input: { accountId, amount: 12.5, currency: 'EUR' } } });
    const { json } = await postGraphql(yoga, body);
    expect(json.errors?.[0]?.message).toMatch(/String cannot represent a non string value/);
    expect(await accountEvents(esdb, accountId)).toHaveLength(1);
  });

  it('answers a validation error for a field that does not exist', async () => {
    const { json } = await postGraphql(yoga, JSON.stringify({ query: 'mutation { transferMoney { __typename } }' }));
    expect(json.errors?.[0]?.message).toMatch(/Cannot query field "transferMoney"/);
  });
});
