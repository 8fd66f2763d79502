// Shared by the query-api end-to-end tests: the command API, a projector worker and query APIs wired to
// the run's servers, each test file with its own projection (keys, group, channel).
import { randomUUID } from 'node:crypto';
import { END } from '@eventstore/db-client';
import { Registry } from 'prom-client';
import { createCommandApi, type CommandApi } from '../services/command-api/index.ts';
import { createKeyStore, createLogger } from '../services/platform/index.ts';
import { createProjectorMetrics, defineAccountsProjection, ProjectorWorker, type Projection } from '../services/projector/index.ts';
import { createQueryApi, type QueryApi, type QueryApiOptions } from '../services/query-api/index.ts';
import { staffHeaders, testAuthenticator } from './auth-support.ts';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from './harness.ts';

export const silentLog = createLogger('query-api-test').child({}, { level: 'silent' });

export interface Ledger {
  readonly commands: CommandApi;
  readonly projection: Projection;
  readonly worker: ProjectorWorker;
  readonly newQueryApi: (options?: Partial<QueryApiOptions>) => Promise<QueryApi>;
  readonly stop: () => Promise<void>;
}

/**
 * The command API writes `account-<id>` streams, shared by every test of the run; this projection is
 * this ledger's own and starts from the end of `$all`, so it projects only what happens from now on.
 */
export async function startLedger(options: { now?: () => Date } = {}): Promise<Ledger> {
  const projection = defineAccountsProjection({ name: `qa-${randomUUID().slice(0, 8)}` });
  const worker = new ProjectorWorker({
    esdbConnectionString: esdbConnectionString(), redisTarget: redisTarget(), projection, log: silentLog,
    metrics: createProjectorMetrics(new Registry()), progressIntervalMs: 0, bufferSize: 200, groupSettings: { startFrom: END },
  });
  await worker.start();
  const keyStore = createKeyStore(await newRedisClient());
  const commands = createCommandApi({ esdb: newEsdbClient(), log: silentLog, auth: testAuthenticator, keyStore, ...(options.now ? { now: options.now } : {}) });
  const apis: QueryApi[] = [];
  return {
    commands, projection, worker,
    newQueryApi: async (overrides = {}) => {
      const api = await createQueryApi({ redisTarget: redisTarget(), log: silentLog, auth: testAuthenticator, projection: projection.name, ...overrides });
      apis.push(api);
      return api;
    },
    stop: async () => {
      await Promise.all(apis.map((api) => api.close()));
      await worker.stop();
    },
  };
}

// Answers are checked field by field with expect(), so tests read them untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = Record<string, any>;

export interface GraphqlAnswer<Data = Untyped> {
  readonly status: number;
  readonly data?: Data;
  readonly errors?: { message: string }[];
}

/** Queries as a member of staff, unless `headers` carry an Authorization of their own. */
export async function query<Data = Untyped>(
  api: QueryApi,
  document: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphqlAnswer<Data>> {
  const response = await api.yoga.fetch('http://query-api.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...staffHeaders, ...headers },
    body: JSON.stringify({ query: document, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

export const ACCOUNT_FIELDS = 'id holderName currency balance status openedAt updatedAt transactionCount revision';

/** Reads a Server-Sent Events subscription until `done` says the events so far are enough. */
export async function collectSubscription(
  api: QueryApi,
  document: string,
  done: (events: Untyped[]) => boolean,
  onFirst?: () => Promise<void>,
  headers: Record<string, string> = staffHeaders,
): Promise<Untyped[]> {
  const response = await api.yoga.fetch('http://query-api.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: document }),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Untyped[] = [];
  let buffered = '';
  try {
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) throw new Error(`event stream ended after ${events.length} events`);
      buffered += value;
      let boundary: number;
      while ((boundary = buffered.indexOf('\n\n')) >= 0) {
        const message = buffered.slice(0, boundary);
        buffered = buffered.slice(boundary + 2);
        const data = message.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5)).join('');
        if (data === '') continue;
        events.push(JSON.parse(data) as Untyped);
        if (events.length === 1 && onFirst) await onFirst();
      }
    }
    return events;
  } finally {
    await reader.cancel();
  }
}
