import { randomUUID } from 'node:crypto';
import { END } from '@eventstore/db-client';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectorMetrics, defineAccountsProjection, defineTransfersProjection, ProjectorWorker } from '../services/projector/index.ts';
import { createQueryApi, type QueryApi } from '../services/query-api/index.ts';
import { roles } from '../services/platform/index.ts';
import { bearer, testAuthenticator } from './auth-support.ts';
import { esdbConnectionString, redisTarget } from './harness.ts';
import { query, silentLog } from './query-api-support.ts';
import { accountEvents, commands, esdb, finishedTransfer, openedAccount, processManagerFactory, requestTransfer } from './transfers-support.ts';

const tag = randomUUID().slice(0, 8);
const projections = [defineAccountsProjection({ name: `qa-${tag}` }), defineTransfersProjection({ name: `qt-${tag}` })];
const workers = projections.map((projection) => new ProjectorWorker({
  esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget(), projection, log: silentLog,
  metrics: createProjectorMetrics(new Registry()), progressIntervalMs: 0, bufferSize: 200, groupSettings: { startFrom: END },
}));
const managers = processManagerFactory();
let api: QueryApi;

beforeAll(async () => {
  await Promise.all(workers.map((worker) => worker.start()));
  await managers.start();
  // These workers project every account and transfer the whole run writes, so under a full run's load
  // they may lag more than the default 5 s; the wait stays bounded.
  api = await createQueryApi({ redisTarget: redisTarget(), log: silentLog, auth: testAuthenticator, projection: `qa-${tag}`, transfersProjection: `qt-${tag}`, consistencyTimeoutMs: 30_000 });
});
afterAll(async () => {
  await api.close();
  await managers.stopAll();
  await Promise.all(workers.map((worker) => worker.stop()));
});

const TRANSFER = `query($id: ID!, $token: String) { transfer(id: $id, consistencyToken: $token) { __typename
  ... on Transfer { id status fromAccountId toAccountId amount currency failureCode failureReason steps { revision type code } }
  ... on Error { message } } }`;
const HISTORY = `query($id: ID!, $token: String) {
  account(id: $id, consistencyToken: $token) { __typename ... on Account { balance } }
  accountTransactions(accountId: $id) { __typename ... on TransactionConnection { nodes { type amount transferId counterpartyAccountId transferLeg } } } }`;

/** Reads a transfer as of its final event, and an account as of its last event. */
async function transferAsFinished(transferId: string) {
  const events = await finishedTransfer(transferId);
  return (await query(api, TRANSFER, { id: transferId, token: `transfer-${transferId}@${events.length - 1}` })).data?.transfer;
}
async function historyOf(accountId: string) {
  const last = (await accountEvents(esdb, accountId)).at(-1)!;
  return (await query(api, HISTORY, { id: accountId, token: `account-${accountId}@${last.revision}` })).data;
}

describe('transfers on the query side', () => {
  it('shows a completed transfer with its steps, and the transfer in both accounts’ histories', async () => {
    const [from, to] = [await openedAccount(commands, '80'), await openedAccount(commands)];
    const transferId = await requestTransfer(from, to, '30');
    expect(await transferAsFinished(transferId)).toEqual({
      __typename: 'Transfer', id: transferId, status: 'COMPLETED', fromAccountId: from, toAccountId: to, amount: '30.00', currency: 'EUR',
      failureCode: null, failureReason: null,
      steps: [
        { revision: 0, type: 'TransferRequested', code: null },
        { revision: 1, type: 'TransferDebited', code: null },
        { revision: 2, type: 'TransferCompleted', code: null },
      ],
    });
    const source = await historyOf(from);
    expect(source?.account.balance).toBe('50.00');
    expect(source?.accountTransactions.nodes[0]).toEqual({ type: 'MoneyWithdrawn', amount: '-30.00', transferId, counterpartyAccountId: to, transferLeg: 'debit' });
    const destination = await historyOf(to);
    expect(destination?.accountTransactions.nodes).toEqual([{ type: 'MoneyDeposited', amount: '30.00', transferId, counterpartyAccountId: from, transferLeg: 'credit' }]);
  });

  it('shows a failed transfer with the reason, and the refund in the source’s history', async () => {
    const [from, to] = [await openedAccount(commands, '10'), await openedAccount(commands, undefined, 'JPY')];
    const transferId = await requestTransfer(from, to, '10');
    const transfer = await transferAsFinished(transferId);
    expect(transfer).toMatchObject({ status: 'FAILED', failureCode: 'CurrencyMismatch', failureReason: `Account ${to} is in JPY, not EUR` });
    expect(transfer.steps.map((step: { type: string }) => step.type)).toEqual(['TransferRequested', 'TransferDebited', 'TransferCreditRefused', 'TransferFailed']);
    const source = await historyOf(from);
    expect(source?.accountTransactions.nodes.map((node: { transferLeg: string | null }) => node.transferLeg)).toEqual(['refund', 'debit', null]);
  });

  it('answers TransferNotFound for an unknown id, and refuses a token of another stream', async () => {
    const unknown = randomUUID();
    expect((await query(api, TRANSFER, { id: unknown })).data?.transfer.__typename).toBe('TransferNotFound');
    expect((await query(api, TRANSFER, { id: unknown, token: `account-${unknown}@0` })).data?.transfer.__typename).toBe('InvalidArguments');
  });
});

describe('who may read a transfer', () => {
  const accounts = { from: '', to: '' };
  let transferId = '';
  beforeAll(async () => {
    [accounts.from, accounts.to] = [await openedAccount(commands, '10'), await openedAccount(commands)];
    transferId = await requestTransfer(accounts.from, accounts.to, '1');
    await transferAsFinished(transferId);
  });
  const asking = (role: (typeof roles)[number], tokenAccounts: string[]) => bearer({ subject: `t-${role}`, roles: [role], accounts: tokenAccounts });
  const table = roles.flatMap((role) =>
    (['from', 'to', 'neither'] as const).map((holds) => ({ role, holds, allowed: role === 'auditor' || role === 'admin' || (role === 'holder' && holds !== 'neither') })),
  );

  it.each(table)('transfer as $role whose token lists the $holds account: allowed=$allowed', async ({ role, holds, allowed }) => {
    const headers = await asking(role, [holds === 'neither' ? randomUUID() : accounts[holds]]);
    const answer = await query(api, TRANSFER, { id: transferId }, headers);
    expect(answer.data?.transfer.__typename).toBe(allowed ? 'Transfer' : 'Forbidden');
  });

  it('refuses a holder an unknown transfer just like another account’s, so ids cannot be probed', async () => {
    const answer = await query(api, TRANSFER, { id: randomUUID() }, await asking('holder', [accounts.from]));
    expect(answer.data?.transfer).toMatchObject({ __typename: 'Forbidden', message: 'transfer needs one of the roles auditor, admin, holder' });
  });
});
