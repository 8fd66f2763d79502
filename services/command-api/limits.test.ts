import { randomUUID } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { bearer } from '../../test/auth-support.ts';
import { accountEvents, mutate, mutationDocument, newCommandApi, postGraphql } from './test-support.ts';

const { yoga } = newCommandApi();
const messages = (json: { errors?: { message: string }[] }) => (json.errors ?? []).map((error) => error.message).join(' ');

describe('command API document limits', () => {
  it('refuses a document nested deeper than any mutation needs', async () => {
    const deep = `{ __schema { types { ${'fields { type { '.repeat(6)}name${' } }'.repeat(6)} } } }`;
    const { json } = await postGraphql(yoga, JSON.stringify({ query: deep }));
    expect(json.data).toBeUndefined();
    expect(messages(json)).toMatch(/depth/i);
  });

  it('refuses a batch of aliased mutations past the alias limit, and appends none of them', async () => {
    const ids = Array.from({ length: 11 }, () => randomUUID());
    const batch = `mutation { ${ids.map((id, i) => `a${i}: openAccount(input: { accountId: "${id}", holderName: "Bulk", currency: "EUR" }) { __typename }`).join(' ')} }`;
    const { json } = await postGraphql(yoga, JSON.stringify({ query: batch }));
    expect(json.data).toBeUndefined();
    expect(messages(json)).toMatch(/alias/i);
    expect(await accountEvents(newCommandApi().esdb, ids[0]!)).toEqual([]);
  });

  it('refuses a document of too many tokens, and a too costly one', async () => {
    const tokens = `{ ${'commandApiVersion '.repeat(1_001)}}`;
    expect(messages((await postGraphql(yoga, JSON.stringify({ query: tokens }))).json)).toMatch(/token/i);
    const fragment = 'fragment F on CommandAccepted { aggregateId streamName revision position consistencyToken }';
    const costly = `mutation { closeAccount(input: { accountId: "${randomUUID()}" }) { ... on CommandAccepted { ${'...F '.repeat(50)} } } } ${fragment}`;
    expect(messages((await postGraphql(yoga, JSON.stringify({ query: costly }))).json)).toMatch(/cost/i);
  });

  it('answers introspection outside production, for tools', async () => {
    const { json } = await postGraphql(yoga, JSON.stringify({ query: getIntrospectionQuery({ descriptions: false }) }));
    expect(json.errors).toBeUndefined();
  });
});

describe('command API in production', () => {
  const production = newCommandApi({ production: true, graphiql: true });

  it('refuses introspection and serves no GraphiQL, even when asked to', async () => {
    const { json } = await postGraphql(production.yoga, JSON.stringify({ query: '{ __schema { queryType { name } } }' }));
    expect(json.data).toBeUndefined();
    expect(messages(json)).toMatch(/introspection/i);
    const page = await production.yoga.fetch('http://command-api.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it('still runs mutations', async () => {
    expect(await mutate(production.yoga, 'openAccount', { holderName: 'Prod', currency: 'EUR' })).toMatchObject({ __typename: 'CommandAccepted' });
  });
});

describe('command API rate limit', () => {
  it('answers RateLimited past a client’s burst, appends nothing for it, and limits each client apart', async () => {
    const limited = newCommandApi({ rateLimit: { perSecond: 0.001, burst: 2 } });
    const clerk = await bearer({ subject: 'busy-clerk', roles: ['teller'] });
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const results = [];
    for (const accountId of ids) results.push(await mutate(limited.yoga, 'openAccount', { accountId, holderName: 'Queue', currency: 'EUR' }, clerk));
    expect(results.map((result) => result.__typename)).toEqual(['CommandAccepted', 'CommandAccepted', 'RateLimited']);
    expect(results[2]).toMatchObject({ retryAfterMs: expect.any(Number), message: expect.stringMatching(/^Too many commands/) });
    expect(await accountEvents(limited.esdb, ids[2]!)).toEqual([]);

    const colleague = await bearer({ subject: 'other-clerk', roles: ['teller'] });
    expect(await mutate(limited.yoga, 'openAccount', { holderName: 'Next', currency: 'EUR' }, colleague)).toMatchObject({ __typename: 'CommandAccepted' });
    const metrics = await (await limited.yoga.fetch('http://command-api.test/metrics')).text();
    expect(metrics).toMatch(/command_rate_limited_total\{[^}]*mutation="openAccount"[^}]*\} 1/);
  });

  it('counts every mutation of a document, so aliases do not multiply the rate', async () => {
    const limited = newCommandApi({ rateLimit: { perSecond: 0.001, burst: 1 } });
    const pair = `mutation { a: openAccount(input: { holderName: "A", currency: "EUR" }) { __typename } b: openAccount(input: { holderName: "B", currency: "EUR" }) { __typename } }`;
    const { json } = await postGraphql(limited.yoga, JSON.stringify({ query: pair }));
    expect(json.data).toEqual({ a: { __typename: 'CommandAccepted' }, b: { __typename: 'RateLimited' } });
  });
});

describe('mutation documents', () => {
  it('keep a single mutation well inside every limit', async () => {
    const { status } = await postGraphql(yoga, JSON.stringify({ query: mutationDocument('withdrawMoney'), variables: { input: { accountId: randomUUID(), amount: '1.00', currency: 'EUR' } } }));
    expect(status).toBe(200);
  });
});
