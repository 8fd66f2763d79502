import type { EventStoreDBClient } from '@eventstore/db-client';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import {
  bearerAuth,
  createMetricsRegistry,
  graphqlLimits,
  graphqlRequestChecks,
  isEsdbReachable,
  sharedYogaOptions,
  metricsResponse,
  RateLimiter,
  type Authenticator,
  type KeyStore,
  type Logger,
} from '../platform/index.ts';
import { AccountCommandHandler } from './command-handler.ts';
import type { CommandApiContext } from './context.ts';
import { createCommandMetrics } from './metrics.ts';
import { TransferCommandHandler } from './transfer-command-handler.ts';
import { CORRELATION_HEADER, correlationIdOf } from './request-identity.ts';
import { commandSchema } from './schema.ts';

export interface CommandApiOptions {
  readonly esdb: EventStoreDBClient;
  readonly log: Logger;
  /** Verifies bearer tokens; see platform/auth.ts. */
  readonly auth: Authenticator;
  /** Keys that seal holders' personal data in events; see platform/key-store.ts. */
  readonly keyStore: KeyStore;
  /** Mutations per second per client, with bursts up to `burst`; undefined: unlimited. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number } | undefined;
  /** Turns off introspection and GraphiQL. */
  readonly production?: boolean;
  readonly maxConflictRetries?: number;
  readonly retryBaseDelayMs?: number;
  /** Folded account streams kept between commands (see AccountStreamCache); 0 turns the cache off. */
  readonly cachedStreams?: number;
  /** An account's latest events read per uncached command, and so the commandId repeat window (see env.ts). */
  readonly recentEvents?: number;
  readonly maxRequestBodySize?: number;
  readonly graphiql?: boolean;
  readonly now?: () => Date;
}

export type CommandApi = YogaServerInstance<Record<string, never>, CommandApiContext>;

/**
 * The command API as a fetch handler: GraphQL at /graphql, plus /health, /ready and /metrics.
 * Nothing listens here; tests call `yoga.fetch`, and server.ts puts it on a port.
 */
export function createCommandApi(options: CommandApiOptions): CommandApi {
  const registry = createMetricsRegistry('command-api');
  const metrics = createCommandMetrics(registry);
  const handler = new AccountCommandHandler(options.esdb, {
    maxConflictRetries: options.maxConflictRetries ?? 10,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 5,
    onConflictRetry: metrics.countConflictRetry,
    cachedStreams: options.cachedStreams ?? 10_000,
    keyStore: options.keyStore,
    recentEvents: options.recentEvents ?? 100,
  });
  const transfers = new TransferCommandHandler(options.esdb, { maxConflictRetries: options.maxConflictRetries ?? 10 });
  const correlationIds = new WeakMap<Request, string>();
  const now = options.now ?? (() => new Date());
  const auth = bearerAuth(options.auth);
  const rateLimiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst);
  const production = options.production ?? false;

  const operationalEndpoints: Plugin = {
    onRequest: async ({ request, url, endResponse }) => {
      correlationIds.set(request, correlationIdOf(request));
      if (url.pathname === '/ready') {
        const ready = await isEsdbReachable(options.esdb);
        endResponse(Response.json({ ready, eventStore: ready ? 'reachable' : 'unreachable' }, { status: ready ? 200 : 503 }));
      } else if (url.pathname === '/metrics') {
        endResponse(await metricsResponse(registry));
      }
    },
    onResponse: ({ request, response }) => {
      const correlationId = correlationIds.get(request);
      if (correlationId !== undefined) response.headers.set(CORRELATION_HEADER, correlationId);
    },
  };

  return createYoga<Record<string, never>, CommandApiContext>({
    schema: commandSchema,
    ...sharedYogaOptions({ log: options.log, graphiql: options.graphiql ?? false, production }),
    plugins: [
      operationalEndpoints,
      graphqlRequestChecks({ maxRequestBodySize: options.maxRequestBodySize ?? 65_536, auth }),
      // A mutation document is flat: depth 4 and a handful of aliases cover any honest client. A mutation
      // asking for every field of every result costs about 90, so ten such aliased mutations fit the cost
      // limit; fragments spread over and over do not. Counting tokens also stops a document nested a few
      // thousand levels deep before it overflows the parser's stack.
      ...graphqlLimits({ maxDepth: 6, maxAliases: 10, maxCost: 1_000, maxTokens: 1_000, production }),
    ],
    context: (initial) => {
      const { request } = initial;
      const correlationId = correlationIds.get(request) ?? correlationIdOf(request);
      const principal = auth.principalOf(request);
      return {
        handler,
        transfers,
        metrics,
        correlationId,
        principal,
        rateLimiter,
        clientKey: principal.subject === 'anonymous' ? `address:${remoteAddressOf(initial)}` : `subject:${principal.subject}`,
        log: options.log,
        now,
      };
    },
  });
}

/** The peer address node:http saw; yoga passes the node request as `req` when it serves one. */
function remoteAddressOf(serverContext: object): string {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req;
  return req?.socket?.remoteAddress ?? 'unknown';
}
