import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, type EventStoreDBClient } from '@eventstore/db-client';
import { staffHeaders, testAuthenticator } from '../../test/auth-support.ts';
import { newEsdbClient, newRedisClient } from '../../test/harness.ts';
import { createKeyStore, createLogger } from '../platform/index.ts';
import { createCommandApi, type CommandApi, type CommandApiOptions } from './app.ts';
import type { MutationName } from './graphql/access-rules.ts';

export type { MutationName };

const silentLog = createLogger('command-api-test').child({}, { level: 'silent' });
/** The run's Redis holds the keys that seal holders' names, as in production. */
export const testKeyStore = createKeyStore(await newRedisClient());

export function newCommandApi(options: Partial<CommandApiOptions> = {}): { yoga: CommandApi; esdb: EventStoreDBClient } {
  const esdb = options.esdb ?? newEsdbClient();
  return { yoga: createCommandApi({ log: silentLog, auth: testAuthenticator, keyStore: testKeyStore, ...options, esdb }), esdb };
}

const inputTypes: Record<MutationName, string> = {
  openAccount: 'OpenAccountInput',
  depositMoney: 'DepositMoneyInput',
  withdrawMoney: 'WithdrawMoneyInput',
  closeAccount: 'CloseAccountInput',
  forgetHolder: 'ForgetHolderInput',
  requestTransfer: 'RequestTransferInput',
};

const errorFields: Record<string, string> = {
  Forbidden: 'operation requiredRoles',
  RateLimited: 'retryAfterMs',
  ValidationFailed: 'issues { path message }',
  InsufficientFunds: 'accountId available requested currency',
  CurrencyMismatch: 'accountId accountCurrency requestedCurrency',
  ConcurrencyConflict: 'streamName expectedRevision actualRevision',
  AccountNotFound: 'accountId',
  AccountClosed: 'accountId',
  AccountAlreadyExists: 'accountId',
  BalanceNotZero: 'accountId balance currency',
  StoreUnavailable: 'commandId retryAfterMs',
};
const errorsOf: Record<MutationName, string[]> = {
  openAccount: ['ValidationFailed', 'ConcurrencyConflict', 'AccountAlreadyExists'],
  depositMoney: ['ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound', 'AccountClosed', 'CurrencyMismatch'],
  withdrawMoney: ['ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound', 'AccountClosed', 'CurrencyMismatch', 'InsufficientFunds'],
  closeAccount: ['ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound', 'AccountClosed', 'BalanceNotZero'],
  forgetHolder: ['ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound'],
  requestTransfer: ['ValidationFailed', 'ConcurrencyConflict'],
};

/** Asks for every field of every result the mutation can answer, so tests can assert on whichever comes back. */
function resultSelection(mutation: MutationName): string {
  const errors = ['Forbidden', 'RateLimited', 'StoreUnavailable', ...errorsOf[mutation]].map((type) => `... on ${type} { ${errorFields[type]} }`).join('\n  ');
  return `{
  __typename
  ... on Error { message }
  ... on CommandAccepted { aggregateId streamName revision position consistencyToken }
  ${errors}
}`;
}

export interface MutationResult {
  readonly __typename: string;
  readonly message?: string;
  readonly revision?: number;
  readonly [field: string]: unknown;
}

export function mutationDocument(mutation: MutationName): string {
  return `mutation Run($input: ${inputTypes[mutation]}!) { result: ${mutation}(input: $input) ${resultSelection(mutation)} }`;
}

/** Posts a body as a member of staff, unless `headers` carry an Authorization of their own. */
export async function postGraphql(
  yoga: CommandApi,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { data?: { result?: MutationResult }; errors?: { message: string }[] }; headers: Headers }> {
  const response = await yoga.fetch('http://command-api.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...staffHeaders, ...headers },
    body,
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

/** Runs one mutation and returns its result object; fails the test on a top-level GraphQL error. */
export async function mutate(
  yoga: CommandApi,
  mutation: MutationName,
  input: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<MutationResult> {
  const { json } = await postGraphql(yoga, JSON.stringify({ query: mutationDocument(mutation), variables: { input } }), headers);
  const result = json.data?.result;
  if (result === undefined) throw new Error(`${mutation} answered no result: ${JSON.stringify(json)}`);
  return result;
}

/** Opens an EUR account (or the given currency) and deposits `balance`, returning its id. */
export async function openedAccount(yoga: CommandApi, balance?: string, currency = 'EUR'): Promise<string> {
  const accountId = randomUUID();
  const opened = await mutate(yoga, 'openAccount', { accountId, holderName: 'Test Holder', currency });
  if (opened.__typename !== 'CommandAccepted') throw new Error(`could not open: ${JSON.stringify(opened)}`);
  if (balance !== undefined) {
    const deposited = await mutate(yoga, 'depositMoney', { accountId, amount: balance, currency });
    if (deposited.__typename !== 'CommandAccepted') throw new Error(`could not deposit: ${JSON.stringify(deposited)}`);
  }
  return accountId;
}

export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
}

/** Every event in an account's stream; empty when the stream does not exist. */
export function accountEvents(esdb: EventStoreDBClient, accountId: string): Promise<StoredEvent[]> {
  return streamEvents(esdb, `account-${accountId}`);
}

/** Every event in a stream; empty when the stream does not exist. */
export async function streamEvents(esdb: EventStoreDBClient, streamName: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  try {
    for await (const { event } of esdb.readStream(streamName)) {
      if (event === undefined) continue;
      events.push({
        id: event.id,
        type: event.type,
        revision: event.revision,
        data: event.data,
        metadata: event.metadata as Record<string, unknown>,
      });
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
}
