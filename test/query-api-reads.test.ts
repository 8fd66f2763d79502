import { randomUUID } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate } from '../services/command-api/test-support.ts';
import type { QueryApi } from '../services/query-api/index.ts';
import { staffHeaders } from './auth-support.ts';
import { query, startLedger, type Ledger } from './query-api-support.ts';

// The command API stamps events with this clock, so tests know each event's exact instant.
let clock = Date.parse('2031-03-01T10:00:00.000Z');
let ledger: Ledger;
let api: QueryApi;
beforeAll(async () => {
  ledger = await startLedger({ now: () => new Date(clock) });
  api = await ledger.newQueryApi({ maxPageSize: 50 });
});
afterAll(() => ledger.stop());

/** Runs a mutation at an instant and waits until the query API shows it. */
async function at(instant: number, mutation: Parameters<typeof mutate>[1], input: Record<string, unknown>): Promise<void> {
  clock = instant;
  const accepted = await mutate(ledger.commands, mutation, input);
  expect(accepted.__typename).toBe('CommandAccepted');
  const seen = await query(api, `query($id: ID!, $t: String) { account(id: $id, consistencyToken: $t) { __typename } }`, {
    id: input.accountId, t: accepted.consistencyToken,
  });
  expect(seen.data?.account.__typename).toBe('Account');
}

const BALANCE_AT = `query($id: ID!, $at: DateTime!) {
  balanceAt(accountId: $id, at: $at) { __typename ... on BalanceAt { balance revision } ... on AccountNotOpenedAt { openedAt } }
}`;

describe('query API reads', () => {
  it('answers balanceAt before opening, at an event\'s exact instant, just before it, and after', async () => {
    const accountId = randomUUID();
    const t0 = clock + 60_000;
    await at(t0, 'openAccount', { accountId, holderName: 'Grace', currency: 'EUR' });
    await at(t0 + 1_000, 'depositMoney', { accountId, amount: '10.00', currency: 'EUR' });
    await at(t0 + 2_000, 'withdrawMoney', { accountId, amount: '3.00', currency: 'EUR' });
    const balanceAt = async (ms: number) => (await query(api, BALANCE_AT, { id: accountId, at: new Date(ms).toISOString() })).data?.balanceAt;

    expect(await balanceAt(t0 - 1)).toEqual({ __typename: 'AccountNotOpenedAt', openedAt: new Date(t0).toISOString() });
    expect(await balanceAt(t0)).toEqual({ __typename: 'BalanceAt', balance: '0.00', revision: 0 });
    expect(await balanceAt(t0 + 999)).toEqual({ __typename: 'BalanceAt', balance: '0.00', revision: 0 });
    expect(await balanceAt(t0 + 1_000)).toEqual({ __typename: 'BalanceAt', balance: '10.00', revision: 1 });
    expect(await balanceAt(t0 + 1_999)).toEqual({ __typename: 'BalanceAt', balance: '10.00', revision: 1 });
    expect(await balanceAt(t0 + 2_000)).toEqual({ __typename: 'BalanceAt', balance: '7.00', revision: 2 });
    expect(await balanceAt(t0 + 86_400_000)).toEqual({ __typename: 'BalanceAt', balance: '7.00', revision: 2 });
    expect((await query(api, BALANCE_AT, { id: randomUUID(), at: new Date(t0).toISOString() })).data?.balanceAt.__typename).toBe('AccountNotFound');
  });

  it('pages transactions newest first, within a half-open time range', async () => {
    const accountId = randomUUID();
    const t0 = clock + 60_000;
    await at(t0, 'openAccount', { accountId, holderName: 'Linus', currency: 'USD' });
    for (let i = 1; i <= 5; i++) await at(t0 + i * 1_000, 'depositMoney', { accountId, amount: `${i}.00`, currency: 'USD' });
    const page = async (args: string) =>
      (await query(api, `{ accountTransactions(accountId: "${accountId}", ${args}) { __typename ... on TransactionConnection { nodes { revision amount } pageInfo { hasNextPage endCursor } } } }`)).data?.accountTransactions;

    const first = await page('first: 2');
    expect(first.nodes.map((node: { revision: number }) => node.revision)).toEqual([5, 4]);
    const second = await page(`first: 10, after: "${first.pageInfo.endCursor}"`);
    expect(second.nodes.map((node: { revision: number }) => node.revision)).toEqual([3, 2, 1]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const ranged = await page(`first: 10, from: "${new Date(t0 + 2_000).toISOString()}", to: "${new Date(t0 + 4_000).toISOString()}"`);
    expect(ranged.nodes).toEqual([{ revision: 3, amount: '3.00' }, { revision: 2, amount: '2.00' }]);
  });

  it('returns every account exactly once while new accounts are being opened', async () => {
    const currency = 'CHF';
    const existing = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const accountId = randomUUID();
      await at(clock + 1, 'openAccount', { accountId, holderName: `Holder ${i}`, currency });
      existing.add(accountId);
    }
    let opening = true;
    const opener = (async () => {
      while (opening) await at(clock + 1, 'openAccount', { accountId: randomUUID(), holderName: 'Late', currency });
    })();
    const seen: string[] = [];
    let after: string | null = null;
    try {
      for (;;) {
        const answer = await query(api, `query($after: String) { accounts(first: 4, after: $after, currency: "${currency}") { ... on AccountConnection { nodes { id } pageInfo { hasNextPage endCursor } } } }`, { after });
        const { nodes, pageInfo } = answer.data?.accounts as { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        seen.push(...nodes.map((node) => node.id));
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
    } finally {
      opening = false;
      await opener;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...existing].filter((id) => !seen.includes(id))).toEqual([]);
  });

  it('orders accounts by balance within a currency, and answers bad arguments with InvalidArguments', async () => {
    const currency = 'SEK';
    const ids: string[] = [randomUUID(), randomUUID(), randomUUID()];
    for (const [index, accountId] of ids.entries()) {
      await at(clock + 1, 'openAccount', { accountId, holderName: 'Sorted', currency });
      await at(clock + 1, 'depositMoney', { accountId, amount: `${(3 - index) * 100}.00`, currency });
    }
    const answer = await query(api, `{ accounts(first: 50, currency: "${currency}", orderBy: BALANCE, direction: DESC) { ... on AccountConnection { nodes { id balance } } } }`);
    const mine = (answer.data?.accounts.nodes as { id: string }[]).map((node) => node.id).filter((id) => ids.includes(id));
    expect(mine).toEqual(ids);

    const bad = await query(api, `{ accounts(first: 500, orderBy: BALANCE, after: "nonsense") { __typename ... on InvalidArguments { issues { argument } } } }`);
    expect(bad.data?.accounts.issues.map((issue: { argument: string }) => issue.argument).sort()).toEqual(['after', 'currency', 'first']);
  });

  it('counts accounts, events and balances in stats, updated with the list indexes', async () => {
    const before = (await query(api, '{ stats { openAccounts closedAccounts events } }')).data?.stats;
    const accountId = randomUUID();
    await at(clock + 1, 'openAccount', { accountId, holderName: 'Counted', currency: 'NOK' });
    await at(clock + 1, 'depositMoney', { accountId, amount: '5.00', currency: 'NOK' });
    // Global read models follow the account's own a moment later; stats change in the same Redis
    // script that puts the account into the list indexes, so once it is listed, it is counted.
    const listedBalance = async () => {
      const answer = await query(api, '{ accounts(first: 50, currency: "NOK", status: OPEN, orderBy: BALANCE, direction: DESC) { ... on AccountConnection { nodes { id balance } } } }');
      return (answer.data?.accounts.nodes as { id: string; balance: string }[]).find((node) => node.id === accountId)?.balance;
    };
    for (let attempt = 0; attempt < 400 && (await listedBalance()) !== '5.00'; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await listedBalance()).toBe('5.00');
    const after = (await query(api, '{ stats { openAccounts closedAccounts events balances { currency totalMinor } } }')).data?.stats;
    // Other test files open and close accounts meanwhile: closing moves an account, opening adds one.
    expect(after.openAccounts + after.closedAccounts).toBeGreaterThan(before.openAccounts + before.closedAccounts);
    expect(after.events).toBeGreaterThanOrEqual(before.events + 2);
    expect(BigInt(after.balances.find((row: { currency: string }) => row.currency === 'NOK').totalMinor)).toBeGreaterThanOrEqual(500n);
  });

  it('rejects abusive queries (depth 50, 1,000 aliases) with a clear error before running them', async () => {
    const deep = `{ __schema { types { ${'fields { type { '.repeat(24)}name${' } }'.repeat(24)} } } }`;
    const depth = await query(api, deep);
    expect(depth.data).toBeUndefined();
    expect(depth.errors?.map((error) => error.message).join(' ')).toMatch(/depth/i);

    const aliases = `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: stats { events }`).join(' ')} }`;
    const aliased = await query(api, aliases);
    expect(aliased.data).toBeUndefined();
    expect(aliased.errors?.map((error) => error.message).join(' ')).toMatch(/alias|token/i);

    const huge = await api.yoga.fetch('http://query-api.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', ...staffHeaders }, body: JSON.stringify({ query: `{ stats { events } } #${'x'.repeat(100_000)}` }),
    });
    expect(huge.status).toBe(413);

    // The limits leave room for what tools ask: GraphiQL's full introspection query still answers.
    const introspection = await query(api, getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data?.__schema.queryType.name).toBe('Query');
  });
});
