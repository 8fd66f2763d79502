import { randomUUID } from 'node:crypto';
import { binaryEvent, jsonEvent, RUNNING } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEsdbClient } from '../../../test/harness.ts';
import { accountStreamName, encodeAccountEvent, eventMetadata } from '../../domain/index.ts';
import { createEsdbClient, createLogger, findFreePort, listenHttp, type RunningHttpServer } from '../../platform/index.ts';
import { until } from '../test-support.ts';
import { createStreamBrowser } from './app.ts';

const log = createLogger('stream-browser-test').child({}, { level: 'silent' });
const esdb = newEsdbClient();
let browser: RunningHttpServer;
let closedPort: number;
beforeAll(async () => {
  closedPort = await findFreePort();
  browser = await listenHttp(createStreamBrowser({ esdb, log, queryApiUrl: `http://127.0.0.1:${closedPort}/graphql` }), 0, '127.0.0.1');
});
afterAll(() => browser.stop());

const get = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${browser.url}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
};

/** The page at `url` once `holds` is true of it: a real server's projections catch up a moment later. */
async function pageWhen(url: string, holds: (page: string) => boolean): Promise<string> {
  let page = '';
  await until(`${url} shows what the test expects`, async () => holds((page = await fetch(url).then((response) => response.text()))));
  return page;
}

describe('stream browser over HTTP', () => {
  it('shows an account stream with a clear note when the query API does not answer', async () => {
    const accountId = randomUUID();
    // A valid domain event: projectors of other tests on the same server read every account stream.
    const opened = encodeAccountEvent({ type: 'AccountOpened', data: { accountId, holderName: 'Ada', currency: 'EUR' } });
    const context = { commandId: randomUUID(), correlationId: randomUUID(), actor: 'test', occurredAt: new Date().toISOString() };
    const stream = accountStreamName(accountId);
    await esdb.appendToStream(stream, jsonEvent({ type: opened.type, data: opened.data, metadata: { ...eventMetadata(context, opened.schemaVersion) } }));
    const page = await get(`/stream?name=${stream}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('#0 AccountOpened');
    expect(page.text).toContain(`Read model not shown: the query API at http://127.0.0.1:${closedPort}/graphql did not answer (it is not reachable).`);
  });

  it('lists the streams of a category with the most recently active first', async () => {
    const category = `browse${randomUUID().replaceAll('-', '')}`;
    const [older, newer] = [`${category}-a`, `${category}-b`];
    await esdb.appendToStream(older, jsonEvent({ type: 'Happened', data: {} }));
    await esdb.appendToStream(newer, jsonEvent({ type: 'Happened', data: {} }));
    await esdb.appendToStream(older, jsonEvent({ type: 'HappenedAgain', data: {} }));
    const rows = (page: string) => [...page.matchAll(/<td><a href="[^"]+">([^<]+)<\/a><\/td>\s*<td>([^<]+)<\/td>/g)].map((row) => `${row[1]} ${row[2]}`);
    const expected = [`${older} #1 HappenedAgain`, `${newer} #0 Happened`];
    expect(rows(await pageWhen(`${browser.url}/streams?category=${category}`, (page) => rows(page).join() === expected.join()))).toEqual(expected);
  });

  // A real server's standard projections keep these streams; against the embedded server, which runs
  // none, the test writes the links they would write (a real projection must be the only writer).
  const linkTo = (event: { stream: string }) => binaryEvent({ type: '$>', data: Buffer.from(`0@${event.stream}`) });
  const standIn = async (projection: string, stream: string, targets: { stream: string }[]) => {
    const running = await esdb.getProjectionStatus(projection).then((status) => status.projectionStatus === RUNNING, () => false);
    if (!running) await esdb.appendToStream(stream, targets.map(linkTo));
  };

  it("lists a category from the server's by-category projection stream ($ce-<category>) when it exists", async () => {
    const category = `browse${randomUUID().replaceAll('-', '')}`;
    const [older, newer] = [{ stream: `${category}-older` }, { stream: `${category}-newer` }];
    for (const { stream } of [older, newer]) await esdb.appendToStream(stream, jsonEvent({ type: 'Happened', data: {} }));
    await standIn('$by_category', `$ce-${category}`, [older, newer]);
    const source = `from the newest 10,000 events of $ce-${category} (the server&#39;s by-category projection`;
    const page = await pageWhen(`${browser.url}/streams?category=${category}`, (shown) => shown.includes(source) && shown.includes(older.stream));
    expect(page).toContain(source);
    expect([...page.matchAll(/<td><a href="[^"]+">([^<]+)<\/a>/g)].map((match) => match[1])).toEqual([newer.stream, older.stream]);
  });

  it("traces through the server's by-correlation projection stream ($bc-<correlationId>) when it exists", async () => {
    const correlationId = randomUUID();
    const [request, effect] = [{ stream: `browse-${randomUUID()}` }, { stream: `browse-${randomUUID()}` }];
    const requested = randomUUID();
    await esdb.appendToStream(request.stream, jsonEvent({ id: requested, type: 'Requested', data: {}, metadata: { $correlationId: correlationId, $causationId: 'command-1' } }));
    await esdb.appendToStream(effect.stream, jsonEvent({ type: 'Done', data: {}, metadata: { $correlationId: correlationId, $causationId: requested } }));
    await standIn('$by_correlation_id', `$bc-${correlationId}`, [request, effect]);
    const steps = (page: string) => [...page.matchAll(/data-stream="([^"]+)"/g)].map((match) => match[1]);
    const source = `Found through $bc-${correlationId} (the server&#39;s by-correlation projection`;
    const page = await pageWhen(`${browser.url}/trace?stream=${effect.stream}&revision=0`, (shown) => shown.includes(source) && steps(shown).length === 2);
    expect(page).toContain(source);
    expect(steps(page)).toEqual([request.stream, effect.stream]);
  });

  it('finds an old event\'s chain by scanning $all around it, however many events came after', async () => {
    const small = await listenHttp(createStreamBrowser({ esdb, log, queryApiUrl: 'http://127.0.0.1:1/graphql', scanLimit: 2_000 }), 0, '127.0.0.1');
    try {
      const correlationId = randomUUID();
      const [cause, effect] = [`browse-${randomUUID()}`, `browse-${randomUUID()}`];
      const caused = randomUUID();
      await esdb.appendToStream(cause, jsonEvent({ id: caused, type: 'Requested', data: {}, metadata: { $correlationId: correlationId, $causationId: 'command-1' } }));
      await esdb.appendToStream(effect, jsonEvent({ type: 'Done', data: {}, metadata: { $correlationId: correlationId, $causationId: caused } }));
      // More later events than the whole scan reads: looking only at the newest would find neither.
      await esdb.appendToStream(`browse-${randomUUID()}`, Array.from({ length: 3_000 }, () => jsonEvent({ type: 'Later', data: {} })));
      const steps = (page: string) => [...page.matchAll(/data-stream="([^"]+)"/g)].map((match) => match[1]);
      expect(steps(await pageWhen(`${small.url}/trace?stream=${cause}&revision=0`, (page) => steps(page).length === 2))).toEqual([cause, effect]);
    } finally {
      await small.stop();
    }
  });

  it('answers bad addresses with a clear page and no internals', async () => {
    const missing = `browse-${randomUUID()}`;
    const short = `browse-${randomUUID()}`;
    await esdb.appendToStream(short, jsonEvent({ type: 'Happened', data: {} }));
    const cases: [string, number, string][] = [
      ['/stream?name=account-1&from=abc', 400, '&#39;abc&#39; is not a stream revision.'],
      ['/event?stream=account-1&revision=-1', 400, '&#39;revision&#39; must be an event number (0, 1, 2, …), not &#39;-1&#39;.'],
      ['/stream?from=3', 400, 'Give a stream name in &#39;name&#39;.'],
      [`/stream?name=x&from=${2n ** 64n}`, 400, 'is not a stream revision'],
      ['/streams?category=a-b', 400, '&#39;category&#39; must be a category name'],
      [`/stream?name=${missing}`, 404, `Stream ${missing} does not exist.`],
      [`/event?stream=${missing}&revision=0`, 404, `Stream ${missing} does not exist.`],
      [`/trace?stream=${short}&revision=1`, 404, `No event #1 in stream ${short}.`],
      ['/nowhere', 404, 'There is no page /nowhere.'],
    ];
    for (const [path, status, message] of cases) {
      const page = await get(path);
      expect({ path, status: page.status, shown: page.text.includes(message) }).toEqual({ path, status, shown: true });
      expect(page.text).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('is read-only and tells browsers to run no scripts', async () => {
    const refused = await get('/stream?name=x', { method: 'POST', body: 'x' });
    expect(refused.status).toBe(405);
    const home = await get('/');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(home.text).toContain('href="/streams?category=transfer"');
  });

  it('says EventStoreDB could not be read when it does not answer, without internals', async () => {
    const unreachable = createEsdbClient(`esdb://127.0.0.1:${closedPort}?tls=false&defaultDeadline=1000`);
    const down = await listenHttp(createStreamBrowser({ esdb: unreachable, log, queryApiUrl: 'http://127.0.0.1:1/graphql' }), 0, '127.0.0.1');
    try {
      const response = await fetch(`${down.url}/stream?name=account-1`);
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('Reading from EventStoreDB failed');
    } finally {
      await down.stop();
      await unreachable.dispose();
    }
  });
});
