import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { END, type EventStoreDBClient } from '@eventstore/db-client';
import { accountStreamPrefix } from '../../domain/index.ts';
import type { Logger } from '../../platform/index.ts';
import { fetchAccountSummary, renderAccountSummary } from './account-summary.ts';
import { listCategoryStreams } from './category-streams.ts';
import { page } from './layout.ts';
import { categoryPage, eventPage, homePage, messagePage, streamPage } from './pages.ts';
import { BadRequest, categoryParam, revisionParam, streamParam } from './params.ts';
import { readStreamEvents } from './store-reads.ts';
import { traceEvent } from './trace.ts';
import { tracePage } from './trace-page.ts';

export interface StreamBrowserOptions {
  readonly esdb: EventStoreDBClient;
  readonly log: Logger;
  readonly queryApiUrl: string;
  readonly pageSize?: number;
  /** Most events a category listing or a trace without projections reads. */
  readonly scanLimit?: number;
  readonly queryApiTimeoutMs?: number;
}

interface Answer {
  readonly status: number;
  readonly title: string;
  readonly body: ReturnType<typeof messagePage>;
}

// No script runs on these pages: event data is user input, and the policy stops any that escaping missed.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The browser's request handler: read-only pages over EventStoreDB, no state of its own. */
export function createStreamBrowser(options: StreamBrowserOptions): RequestListener {
  const pageSize = options.pageSize ?? 20;
  const scanLimit = options.scanLimit ?? 10_000;
  const { esdb } = options;

  const readEvent = async (stream: string, revision: bigint) => {
    const [event] = (await readStreamEvents(esdb, stream, { from: revision, direction: 'forwards', count: 1 })) ?? [];
    if (event === undefined || event.revision !== revision) throw new NotFound(`No event #${revision} in stream ${stream}.`);
    return event;
  };

  const routes: Record<string, (query: URLSearchParams) => Promise<Answer>> = {
    '/': async () => ({ status: 200, title: 'Streams', body: homePage() }),
    '/streams': async (query) => {
      const category = categoryParam(query);
      const listing = await listCategoryStreams(esdb, category, { scanLimit, streamLimit: 200 });
      return { status: 200, title: `${category} streams`, body: categoryPage(category, listing) };
    },
    '/stream': async (query) => {
      const stream = streamParam(query, 'name');
      const from = query.has('from') ? revisionParam(query, 'from') : undefined;
      const events = await readStreamEvents(esdb, stream, { from: from ?? END, direction: 'backwards', count: pageSize });
      if (events === undefined) throw new NotFound(`Stream ${stream} does not exist.`);
      const aside = stream.startsWith(accountStreamPrefix) ? await accountAside(stream, from === undefined ? events[0]?.revision : undefined) : undefined;
      return { status: 200, title: stream, body: streamPage({ stream, events, from, aside }) };
    },
    '/event': async (query) => {
      const event = await readEvent(streamParam(query, 'stream'), revisionParam(query, 'revision'));
      return { status: 200, title: `#${event.revision} ${event.type}`, body: eventPage(event) };
    },
    '/trace': async (query) => {
      const origin = await readEvent(streamParam(query, 'stream'), revisionParam(query, 'revision'));
      const trace = await traceEvent(esdb, origin, scanLimit);
      return { status: 200, title: `Trace of #${origin.revision} ${origin.type} in ${origin.stream}`, body: tracePage(origin, trace) };
    },
  };

  const accountAside = async (stream: string, knownLast: bigint | undefined) => {
    const last = knownLast ?? (await readStreamEvents(esdb, stream, { from: END, direction: 'backwards', count: 1 }))?.[0]?.revision;
    const summary = await fetchAccountSummary(options.queryApiUrl, stream.slice(accountStreamPrefix.length), options.queryApiTimeoutMs ?? 2_000);
    return renderAccountSummary(summary, options.queryApiUrl, last);
  };

  const answer = async (request: IncomingMessage): Promise<Answer> => {
    const url = new URL(request.url ?? '/', 'http://browser.local');
    const route = routes[url.pathname];
    if (route === undefined) return { status: 404, title: 'Not found', body: messagePage(`There is no page ${url.pathname}.`) };
    try {
      return await route(url.searchParams);
    } catch (error) {
      if (error instanceof BadRequest) return { status: 400, title: 'Bad request', body: messagePage(error.message) };
      if (error instanceof NotFound) return { status: 404, title: 'Not found', body: messagePage(error.message) };
      options.log.error({ err: error, url: request.url }, 'stream browser request failed');
      return { status: 502, title: 'EventStoreDB read failed', body: messagePage('Reading from EventStoreDB failed; the server log has the details.') };
    }
  };

  return (request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('The stream browser is read-only.\n');
      return;
    }
    answer(request)
      .then(({ status, title, body }) => {
        response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }).end(page(title, body));
      })
      .catch((error: unknown) => {
        options.log.error({ err: error }, 'stream browser could not render a page');
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('The page could not be shown.\n');
      });
  };
}

class NotFound extends Error {
  override name = 'NotFound';
}
