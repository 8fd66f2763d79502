import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate } from '../services/command-api/test-support.ts';
import type { QueryApi } from '../services/query-api/index.ts';
import { ACCOUNT_FIELDS, collectSubscription, query, startLedger, type Ledger } from './query-api-support.ts';

let ledger: Ledger;
let api: QueryApi;
beforeAll(async () => {
  ledger = await startLedger();
  api = await ledger.newQueryApi();
});
afterAll(() => ledger.stop());

const ACCOUNT = `query Account($id: ID!, $token: String) {
  account(id: $id, consistencyToken: $token) {
    __typename
    ... on Account { ${ACCOUNT_FIELDS} }
    ... on ConsistencyTimeout { streamName requestedRevision reachedRevision waitedMs }
    ... on Error { message }
  }
}`;

async function open(currency = 'EUR'): Promise<{ accountId: string; token: string }> {
  const accountId = randomUUID();
  const opened = await mutate(ledger.commands, 'openAccount', { accountId, holderName: 'Ada Lovelace', currency });
  expect(opened.__typename).toBe('CommandAccepted');
  return { accountId, token: String(opened.consistencyToken) };
}

describe('query API over the projector read models', () => {
  it('answers a query with a mutation token with the new state on the very first request', async () => {
    const { accountId, token: openedToken } = await open();
    const first = await query(api, ACCOUNT, { id: accountId, token: openedToken });
    expect(first.data?.account).toMatchObject({ __typename: 'Account', id: accountId, balance: '0.00', status: 'OPEN', revision: 0 });

    const deposited = await mutate(ledger.commands, 'depositMoney', { accountId, amount: '12.50', currency: 'EUR' });
    const afterDeposit = await query(api, ACCOUNT, { id: accountId, token: deposited.consistencyToken });
    expect(afterDeposit.data?.account).toMatchObject({ balance: '12.50', transactionCount: 1, revision: 1 });
  });

  it('answers ConsistencyTimeout with the revision reached for a token of a revision never written', async () => {
    const impatient = await ledger.newQueryApi({ consistencyTimeoutMs: 200 });
    const { accountId, token } = await open();
    await query(impatient, ACCOUNT, { id: accountId, token });
    const answer = await query(impatient, ACCOUNT, { id: accountId, token: `account-${accountId}@7` });
    expect(answer.data?.account).toMatchObject({
      __typename: 'ConsistencyTimeout', streamName: `account-${accountId}`, requestedRevision: 7, reachedRevision: 0,
    });
    const metrics = await (await impatient.yoga.fetch('http://query-api.test/metrics')).text();
    expect(metrics).toMatch(/query_consistency_waits_total\{outcome="timeout",service="query-api"\} 1/);
  });

  it('refuses a token that names another stream, and an unknown id, with typed errors', async () => {
    const { accountId } = await open();
    const other = await query(api, ACCOUNT, { id: accountId, token: `account-${randomUUID()}@0` });
    expect(other.data?.account.__typename).toBe('InvalidArguments');
    const unknown = await query(api, ACCOUNT, { id: randomUUID() });
    expect(unknown.data?.account.__typename).toBe('AccountNotFound');
  });

  it('streams account updates in revision order to a subscriber on another replica', async () => {
    const replica = await ledger.newQueryApi();
    const { accountId, token } = await open();
    await query(replica, ACCOUNT, { id: accountId, token });
    const amounts = ['1.00', '2.00', '3.00', '4.00', '5.00'];
    const events = await collectSubscription(
      replica,
      `subscription { accountUpdated(accountId: "${accountId}") { revision balance } }`,
      (received) => received.at(-1)?.data?.accountUpdated.revision === amounts.length,
      // The first event is the account as it is; changes made after it must all show up.
      async () => {
        for (const amount of amounts) await mutate(ledger.commands, 'depositMoney', { accountId, amount, currency: 'EUR' });
      },
    );
    const revisions = events.map((event) => event.data.accountUpdated.revision as number);
    expect(revisions[0]).toBe(0);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(events.at(-1)?.data.accountUpdated.balance).toBe('15.00');
  });
});
