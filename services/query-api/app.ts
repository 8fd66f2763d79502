import { Kind, type DefinitionNode, type SelectionNode } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { accountStreamPrefix, transferStreamPrefix } from '../domain/index.ts';
import {
  bearerAuth,
  createMetricsRegistry,
  createRedisClient,
  graphqlLimits,
  graphqlRequestChecks,
  isRedisReachable,
  sharedYogaOptions,
  metricsResponse,
  type Authenticator,
  type Logger,
} from '../platform/index.ts';
import { AppliedFeed } from './applied-feed.ts';
import type { QueryApiContext, SharedQueryContext } from './context.ts';
import { createQueryMetrics, type QueryMetrics } from './metrics.ts';
import { AccountReadModels } from './read-models.ts';
import { querySchema } from './schema.ts';
import { TransferReadModels } from './transfer-read-models.ts';

export interface QueryApiOptions {
  readonly redisUrl: string;
  readonly log: Logger;
  /** Verifies bearer tokens; see platform/auth.ts. */
  readonly auth: Authenticator;
  /** Turns off introspection and GraphiQL. */
  readonly production?: boolean;
  /** The projection whose read models to serve; tests use their own. */
  readonly projection?: string;
  readonly streamPrefix?: string;
  /** The projection whose transfer read models to serve; tests use their own. */
  readonly transfersProjection?: string;
  readonly consistencyTimeoutMs?: number;
  readonly maxPageSize?: number;
  readonly maxRequestBodySize?: number;
  readonly graphiql?: boolean;
}

export interface QueryApi {
  /** GraphQL at /graphql, plus /health, /ready and /metrics. Nothing listens: tests call `yoga.fetch`. */
  readonly yoga: YogaServerInstance<Record<string, never>, QueryApiContext>;
  readonly endSubscriptions: () => void;
  /** Ends subscriptions and closes the Redis connections. */
  readonly close: () => Promise<void>;
}

/** Times each operation by the root fields it asks for, which a client cannot make up at will. */
function operationTiming(metrics: QueryMetrics): Plugin {
  return {
    onExecute: ({ args }) => {
      const operation = args.document.definitions.find((definition: DefinitionNode) => definition.kind === Kind.OPERATION_DEFINITION);
      const fields = operation?.kind === Kind.OPERATION_DEFINITION
        ? operation.selectionSet.selections.map((selection: SelectionNode) => (selection.kind === Kind.FIELD ? selection.name.value : '...'))
        : [];
      const end = metrics.startOperationTimer([...new Set(fields)].sort().join(',') || 'unknown');
      return { onExecuteDone: () => end() };
    },
  };
}

/** Connects to Redis (reads, and the applied channel) and builds the query API around it. */
export async function createQueryApi(options: QueryApiOptions): Promise<QueryApi> {
  const redis = createRedisClient(options.redisUrl, options.log);
  const projection = options.projection ?? 'accounts';
  const feed = new AppliedFeed(options.redisUrl, projection, options.log);
  const transfersProjection = options.transfersProjection ?? 'transfers';
  const transferFeed = new AppliedFeed(options.redisUrl, transfersProjection, options.log);
  await redis.connect();
  await Promise.all([feed.start(), transferFeed.start()]);
  const registry = createMetricsRegistry('query-api');
  const metrics = createQueryMetrics(registry);
  const shutdown = new AbortController();
  const auth = bearerAuth(options.auth);
  const production = options.production ?? false;
  const shared: SharedQueryContext = {
    readModels: new AccountReadModels(redis, projection),
    feed, metrics, log: options.log, shutdown: shutdown.signal,
    transferReadModels: new TransferReadModels(redis, transfersProjection), transferFeed, transferStreamPrefix,
    streamPrefix: options.streamPrefix ?? accountStreamPrefix,
    consistencyTimeoutMs: options.consistencyTimeoutMs ?? 5_000,
    maxPageSize: options.maxPageSize ?? 100,
  };

  const operationalEndpoints: Plugin = {
    onRequest: async ({ url, endResponse }) => {
      if (url.pathname === '/ready') {
        const ready = feed.ready && transferFeed.ready && (await isRedisReachable(redis));
        endResponse(Response.json({ ready, redis: ready ? 'reachable' : 'unreachable' }, { status: ready ? 200 : 503 }));
      } else if (url.pathname === '/metrics') {
        endResponse(await metricsResponse(registry));
      }
    },
  };

  const yoga = createYoga<Record<string, never>, QueryApiContext>({
    schema: querySchema,
    ...sharedYogaOptions({ log: options.log, graphiql: options.graphiql ?? false, production }),
    plugins: [
      graphqlRequestChecks({ maxRequestBodySize: options.maxRequestBodySize ?? 65_536, auth }),
      // Limits sized for this schema: its deepest honest query is 5 levels (introspection is bounded by
      // graphql-js's own introspection depth rule, so tools' introspection queries still work); cost grows
      // 1.5x per level, so honest queries stay far below the cost limit. A few dozen aliases cover any
      // dashboard. Hints about field names are not given away.
      ...graphqlLimits({ maxDepth: 10, maxAliases: 30, maxCost: 50_000, maxTokens: 1_000, production }),
      operationTiming(metrics),
      operationalEndpoints,
    ],
    context: ({ request }) => ({ ...shared, principal: auth.principalOf(request) }),
  });

  return {
    yoga,
    endSubscriptions: () => shutdown.abort(),
    close: async () => {
      shutdown.abort();
      await Promise.all([feed.stop(), transferFeed.stop()]);
      redis.destroy();
    },
  };
}
