import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate } from '../services/command-api/test-support.ts';
import { roles, type Role } from '../services/platform/index.ts';
import type { QueryApi } from '../services/query-api/index.ts';
import { bearer } from './auth-support.ts';
import { collectSubscription, query, startLedger, type Ledger } from './query-api-support.ts';

let ledger: Ledger;
let api: QueryApi;
let accountId: string;
beforeAll(async () => {
  ledger = await startLedger();
  api = await ledger.newQueryApi();
  accountId = randomUUID();
  const opened = await mutate(ledger.commands, 'openAccount', { accountId, holderName: 'Ada Lovelace', currency: 'EUR' });
  // Wait until the account is projected, so an allowed read finds it.
  await query(api, `{ account(id: "${accountId}", consistencyToken: "${String(opened.consistencyToken)}") { __typename } }`);
});
afterAll(() => ledger.stop());

/** Each query with the type an allowed caller gets; `$id` is the account asked about. */
const queries = {
  account: { document: '{ r: account(id: "$id") { __typename } }', answer: 'Account' },
  balanceAt: { document: `{ r: balanceAt(accountId: "$id", at: "${new Date(Date.now() + 3_600_000).toISOString()}") { __typename } }`, answer: 'BalanceAt' },
  accountTransactions: { document: '{ r: accountTransactions(accountId: "$id") { __typename } }', answer: 'TransactionConnection' },
  accounts: { document: '{ r: accounts(first: 1) { __typename } }', answer: 'AccountConnection' },
  stats: { document: '{ r: stats { __typename } }', answer: 'Stats' },
} as const;

const staffReaders: readonly Role[] = ['auditor', 'admin'];
const perAccount = new Set(['account', 'balanceAt', 'accountTransactions']);

type Case = { name: keyof typeof queries; role: Role; own: boolean; allowed: boolean };
const table: Case[] = (Object.keys(queries) as (keyof typeof queries)[]).flatMap((name) =>
  roles.flatMap((role) =>
    [true, false].map((own) => ({ name, role, own, allowed: staffReaders.includes(role) || (role === 'holder' && own && perAccount.has(name)) })),
  ),
);

describe('query API roles', () => {
  it.each(table)('$name as $role (token lists the account: $own): allowed=$allowed', async ({ name, role, own, allowed }) => {
    const headers = await bearer({ subject: `q-${role}`, roles: [role], accounts: own ? [accountId] : [randomUUID()] });
    const answer = await query(api, queries[name].document.replace('$id', accountId), {}, headers);
    if (allowed) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.r.__typename).toBe(queries[name].answer);
    } else if (name === 'stats') {
      // stats has no result union: a refusal is a top-level error with a code, and no data.
      expect(answer.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^stats needs one of the roles/), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    } else {
      expect(answer.data?.r.__typename).toBe('Forbidden');
    }
  });

  it('lets a holder follow its own account, and refuses another account', async () => {
    const document = (id: string) => `subscription { accountUpdated(accountId: "${id}") { id holderName } }`;
    const holder = await bearer({ subject: 'holder-ada', roles: ['holder'], accounts: [accountId] });
    const own = await collectSubscription(api, document(accountId), (events) => events.length >= 1, undefined, holder);
    expect(own[0]).toEqual({ data: { accountUpdated: { id: accountId, holderName: 'Ada Lovelace' } } });
    const other = await collectSubscription(api, document(randomUUID()), (events) => events.length >= 1, undefined, holder);
    expect(other[0]?.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
  });
});

describe('query API authentication', () => {
  it('answers 401 without a token, with an expired one, or a forged one', async () => {
    const expired = await bearer({ subject: 'late', roles: ['auditor'], expiresAt: Math.floor(Date.now() / 1_000) - 1 });
    for (const [headers, reason] of [[{ authorization: '' }, 'missing'], [expired, 'expired'], [{ authorization: `${expired.authorization.slice(0, -4)}AAAA` }, 'invalid']] as const) {
      const answer = await query(api, '{ stats { events } }', {}, headers);
      expect(answer.status).toBe(401);
      expect(answer.errors).toEqual([{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }]);
    }
  });
});

describe('query API in production', () => {
  it('refuses introspection and serves no GraphiQL, while queries still answer', async () => {
    const production = await ledger.newQueryApi({ production: true, graphiql: true });
    const introspection = await query(production, '{ __type(name: "Account") { name } }');
    expect(introspection.data).toBeUndefined();
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    const page = await production.yoga.fetch('http://query-api.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    expect((await query(production, `{ account(id: "${accountId}") { __typename } }`)).data?.account.__typename).toBe('Account');
  });
});
