import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { accountStreamPrefix } from '../../domain/index.ts';
import type { Logger } from '../../platform/index.ts';
import { fetchAccountSummary, renderAccountSummary } from './account-summary.ts';
import { listCategoryStreams } from './category-streams.ts';
import type { SafeHtml } from './html.ts';
import { page } from './layout.ts';
import { categoryPage, eventPage, homePage, messagePage, streamPage } from './pages.ts';
import { BadRequest, categoryParam, revisionParam, streamParam } from './params.ts';
import { NotFound, readEventAt, readStreamEvents } from './store-reads.ts';
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
  readonly body: SafeHtml;
}

// No script runs on these pages: event data is user input, and the policy stops any that escaping missed.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The browser's request handler: read-only pages over EventStoreDB, no state of its own. */
export function createStreamBrowser(options: StreamBrowserOptions): RequestListener {
  const { esdb, pageSize = 20, scanLimit = 10_000, queryApiUrl, queryApiTimeoutMs = 2_000 } = options;

  const accountAside = async (stream: string, last: number | undefined): Promise<SafeHtml> => {
    const summary = await fetchAccountSummary(queryApiUrl, stream.slice(accountStreamPrefix.length), queryApiTimeoutMs);
    return renderAccountSummary(summary, queryApiUrl, last);
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
      const from = query.get('from')?.trim() || undefined;
      const { events, next } = await readStreamEvents(esdb, { stream, direction: 'backwards', limit: pageSize, ...(from === undefined ? {} : { from }) });
      let aside: SafeHtml | undefined;
      if (stream.startsWith(accountStreamPrefix)) {
        const newest = from === undefined ? events : (await readStreamEvents(esdb, { stream, direction: 'backwards', limit: 1 })).events;
        aside = await accountAside(stream, newest[0]?.revision);
      }
      return { status: 200, title: stream, body: streamPage({ stream, events, from, older: next, aside }) };
    },
    '/event': async (query) => {
      const event = await readEventAt(esdb, streamParam(query, 'stream'), revisionParam(query, 'revision'));
      return { status: 200, title: `#${event.revision} ${event.type}`, body: eventPage(event) };
    },
    '/trace': async (query) => {
      const origin = await readEventAt(esdb, streamParam(query, 'stream'), revisionParam(query, 'revision'));
      const trace = await traceEvent(esdb, origin, scanLimit);
      return { status: 200, title: `Trace of #${origin.revision} ${origin.type} in ${origin.stream}`, body: tracePage(origin, trace) };
    },
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
