import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { bodySizeLimit, createMetricsRegistry, explainUnsupportedMediaType, isEsdbReachable, metricsResponse, type Logger } from '../platform/index.ts';
import { AccountCommandHandler } from './command-handler.ts';
import type { CommandApiContext } from './context.ts';
import { createCommandMetrics } from './metrics.ts';
import { TransferCommandHandler } from './transfer-command-handler.ts';
import { actorOf, CORRELATION_HEADER, correlationIdOf } from './request-identity.ts';
import { commandSchema } from './schema.ts';

export interface CommandApiOptions {
  readonly esdb: EventStoreDBClient;
  readonly log: Logger;
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
    recentEvents: options.recentEvents ?? 100,
  });
  const transfers = new TransferCommandHandler(options.esdb, { maxConflictRetries: options.maxConflictRetries ?? 10 });
  const correlationIds = new WeakMap<Request, string>();
  const now = options.now ?? (() => new Date());

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
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: options.graphiql ?? false,
    // Our own limit replaces yoga's, which streams every body through a counter (see platform/body-size-limit.ts).
    maxRequestBodySize: false,
    // Unexpected errors reach clients as "Unexpected error." with no stack, whatever NODE_ENV says;
    // runCommand logs the original with the request's correlation id.
    maskedErrors: { maskError: (error, message) => maskError(error, message, false) },
    logging: options.log,
    plugins: [
      operationalEndpoints,
      bodySizeLimit(options.maxRequestBodySize ?? 65_536),
      explainUnsupportedMediaType(),
      // A document nested a few thousand levels deep overflowed the parser's stack: a 500. Counting tokens
      // stops the parser long before (a batch of honest mutations is a few hundred tokens).
      EnvelopArmorPlugin({
        maxTokens: { n: 1_000 },
        maxDepth: { n: 6 },
        costLimit: { enabled: false },
        maxAliases: { enabled: false },
        maxDirectives: { enabled: false },
        blockFieldSuggestion: { enabled: false },
      }),
    ],
    context: ({ request }) => {
      const correlationId = correlationIds.get(request) ?? correlationIdOf(request);
      return {
        handler,
        transfers,
        metrics,
        correlationId,
        actor: actorOf(request),
        log: options.log.child({ correlationId }),
        now,
      };
    },
  });
}
