import { maskUnexpectedError } from './access.ts';
import type { Logger } from './logger.ts';

/**
 * The graphql-yoga options both APIs share: one endpoint, /health, no landing page, GraphiQL only outside
 * production, our own body-size limit instead of yoga's (which streams every body through a counter, see
 * body-size-limit.ts), and unexpected errors (a bug, a store or Redis down) masked as "Unexpected error."
 * with no stack, whatever NODE_ENV says.
 */
export function sharedYogaOptions(options: { readonly log: Logger; readonly graphiql: boolean; readonly production: boolean }) {
  return {
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: !options.production && options.graphiql,
    maxRequestBodySize: false as const,
    maskedErrors: { maskError: maskUnexpectedError },
    logging: options.log,
  };
}
