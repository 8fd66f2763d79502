import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, testKeyStore } from '../services/command-api/test-support.ts';
import { defineAccountsProjection, runApplyBatch, type DeliveredEvent } from '../services/projector/index.ts';
import type { QueryApi } from '../services/query-api/index.ts';
import { bearer } from './auth-support.ts';
import { newEsdbClient, newRedisClient } from './harness.ts';
import { query, startLedger, type Ledger } from './query-api-support.ts';

let ledger: Ledger;
let api: QueryApi;
beforeAll(async () => {
  ledger = await startLedger();
  api = await ledger.newQueryApi();
});
afterAll(() => ledger.stop());

const ACCOUNT = `query($id: ID!, $token: String) { account(id: $id, consistencyToken: $token) { __typename ... on Account { holderName balance status revision transactionCount } } }`;
const AUDIT = `query($id: ID!, $first: Int!, $after: Int) { accountAudit(accountId: $id, first: $first, afterRevision: $after) {
  __typename ... on Error { message } ... on AuditTrail { hasMore entries { revision eventId type data occurredAt actor reason causationId correlationId } } } }`;

/** Opens, deposits and withdraws as a teller, each with a reason and commandId; answers the last token. */
async function accountWithHistory(accountId: string): Promise<string> {
  const teller = { ...(await bearer({ subject: 'teller-ann', roles: ['teller'] })), 'x-correlation-id': `corr-${accountId}` };
  const steps = [
    ['openAccount', { accountId, holderName: 'Ada Lovelace', currency: 'EUR', reason: 'walk-in', commandId: `open-${accountId}` }],
    ['depositMoney', { accountId, amount: '100.00', currency: 'EUR', reason: 'salary', commandId: `dep-${accountId}` }],
    ['withdrawMoney', { accountId, amount: '30.00', currency: 'EUR', reason: 'rent', commandId: `wd-${accountId}` }],
  ] as const;
  let token = '';
  for (const [mutation, input] of steps) {
    const result = await mutate(ledger.commands, mutation, input, teller);
    expect(result.__typename).toBe('CommandAccepted');
    token = String(result.consistencyToken);
  }
  return token;
}

describe('right to be forgotten', () => {
  it('erases the holder name everywhere, keeps balance and history, also when projected again from scratch', async () => {
    const accountId = randomUUID();
    const token = await accountWithHistory(accountId);
    expect((await query(api, ACCOUNT, { id: accountId, token })).data?.account).toMatchObject({ holderName: 'Ada Lovelace', balance: '70.00' });

    const admin = await bearer({ subject: 'admin-bob', roles: ['admin'] });
    const forgotten = await mutate(ledger.commands, 'forgetHolder', { accountId, reason: 'erasure request #42' }, admin);
    expect(forgotten).toMatchObject({ __typename: 'CommandAccepted', revision: 3 });

    const after = await query(api, ACCOUNT, { id: accountId, token: forgotten.consistencyToken });
    expect(after.data?.account).toEqual({ __typename: 'Account', holderName: '[erased]', balance: '70.00', status: 'OPEN', revision: 3, transactionCount: 2 });
    const transactions = await query(api, `{ accountTransactions(accountId: "${accountId}") { ... on TransactionConnection { nodes { amount balanceAfter } } } }`);
    expect(transactions.data?.accountTransactions.nodes).toEqual([{ amount: '-30.00', balanceAfter: '70.00' }, { amount: '100.00', balanceAfter: '100.00' }]);
    expect(await testKeyStore.find(accountId)).toBeUndefined();
    const audit = await query(api, AUDIT, { id: accountId, first: 10 });
    expect(audit.data?.accountAudit.entries.at(-1)).toMatchObject({ type: 'HolderForgotten', actor: 'admin-bob', reason: 'erasure request #42' });

    // A new projection (its own namespace) over the same stream, planned and applied as workers do.
    const rebuilt = defineAccountsProjection({ name: `rebuilt-${randomUUID().slice(0, 8)}` });
    const redis = await newRedisClient();
    for await (const { event } of newEsdbClient().readStream(`account-${accountId}`)) {
      const delivered: DeliveredEvent = {
        eventId: event!.id, streamName: event!.streamId, revision: event!.revision, type: event!.type,
        data: event!.data, metadata: event!.metadata, created: event!.created,
      };
      // The name in the store is sealed: without its key nothing, not even the projection, can read it.
      if (delivered.type === 'AccountOpened') expect(JSON.stringify(delivered.data)).not.toContain('Ada');
      const plan = await rebuilt.plan(delivered, redis);
      await runApplyBatch(redis, [{ plan, revision: delivered.revision }], { channel: `rebuilt-${accountId}`, stream: delivered.streamName });
    }
    const rebuiltApi = await ledger.newQueryApi({ projection: rebuilt.name });
    expect((await query(rebuiltApi, ACCOUNT, { id: accountId })).data?.account).toMatchObject({ holderName: '[erased]', balance: '70.00', revision: 3 });
  });

  it('is an admin’s call, and needs an account that exists', async () => {
    const accountId = randomUUID();
    await accountWithHistory(accountId);
    const teller = await bearer({ subject: 'teller-ann', roles: ['teller'] });
    expect(await mutate(ledger.commands, 'forgetHolder', { accountId }, teller)).toMatchObject({ __typename: 'Forbidden' });
    expect(await testKeyStore.find(accountId)).toBeDefined();
    const admin = await bearer({ subject: 'admin-bob', roles: ['admin'] });
    expect(await mutate(ledger.commands, 'forgetHolder', { accountId: randomUUID() }, admin)).toMatchObject({ __typename: 'AccountNotFound' });
  });
});

describe('accountAudit', () => {
  it('answers who, what, when and why for every event, oldest first, page by page, without personal data', async () => {
    const accountId = randomUUID();
    const token = await accountWithHistory(accountId);
    await query(api, ACCOUNT, { id: accountId, token });
    const auditor = await bearer({ subject: 'auditor-cy', roles: ['auditor'] });

    const first = await query(api, AUDIT, { id: accountId, first: 2 }, auditor);
    expect(first.data?.accountAudit.hasMore).toBe(true);
    const rest = await query(api, AUDIT, { id: accountId, first: 2, after: 1 }, auditor);
    expect(rest.data?.accountAudit.hasMore).toBe(false);
    const entries = [...(first.data?.accountAudit.entries ?? []), ...(rest.data?.accountAudit.entries ?? [])];
    expect(entries.map((entry) => [entry.revision, entry.type, entry.actor, entry.reason, entry.causationId])).toEqual([
      [0, 'AccountOpened', 'teller-ann', 'walk-in', `open-${accountId}`],
      [1, 'MoneyDeposited', 'teller-ann', 'salary', `dep-${accountId}`],
      [2, 'MoneyWithdrawn', 'teller-ann', 'rent', `wd-${accountId}`],
    ]);
    for (const entry of entries) {
      expect(entry.correlationId).toBe(`corr-${accountId}`);
      expect(entry.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(entry.occurredAt)).not.toBeNaN();
    }
    expect(JSON.parse(entries[0].data)).toEqual({ accountId, currency: 'EUR' });
    expect(JSON.parse(entries[2].data)).toEqual({ accountId, amount: '30.00', balanceAfter: '70.00', currency: 'EUR' });
  });

  it('is for auditors and admins only, and names a missing account', async () => {
    const accountId = randomUUID();
    const token = await accountWithHistory(accountId);
    await query(api, ACCOUNT, { id: accountId, token });
    for (const role of ['holder', 'teller'] as const) {
      const headers = await bearer({ subject: `r-${role}`, roles: [role], accounts: [accountId] });
      expect((await query(api, AUDIT, { id: accountId, first: 10 }, headers)).data?.accountAudit.__typename).toBe('Forbidden');
    }
    expect((await query(api, AUDIT, { id: randomUUID(), first: 10 })).data?.accountAudit.__typename).toBe('AccountNotFound');
    expect((await query(api, AUDIT, { id: accountId, first: 0 })).data?.accountAudit.__typename).toBe('InvalidArguments');
  });
});
