import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { AuthenticationFailed, type Authenticator, type Principal } from './auth.ts';

export interface BearerAuth {
  /** Authenticates every GraphQL request before it is parsed: 401 when the token is missing or bad. */
  readonly plugin: Plugin;
  /** The principal the plugin found for this request. */
  readonly principalOf: (request: Request) => Principal;
}

/**
 * Bearer-token authentication for a yoga API. It hooks request parsing, which only GraphQL requests
 * reach: /health, /ready, /metrics and the GraphiQL page stay open, as probes and browsers need.
 */
export function bearerAuth(authenticator: Authenticator): BearerAuth {
  const principals = new WeakMap<Request, Principal>();
  return {
    plugin: {
      async onRequestParse({ request }) {
        try {
          principals.set(request, await authenticator.authenticate(request.headers.get('authorization')));
        } catch (error) {
          if (!(error instanceof AuthenticationFailed)) throw error;
          throw createGraphQLError(error.message, {
            extensions: {
              code: 'UNAUTHENTICATED',
              reason: error.failure,
              http: { status: 401, headers: { 'www-authenticate': `Bearer error="${error.failure === 'missing' ? 'invalid_request' : 'invalid_token'}"` } },
            },
          });
        }
      },
    },
    principalOf: (request) => {
      const principal = principals.get(request);
      // The plugin runs before any resolver; a request without a principal never got past it.
      if (principal === undefined) throw new Error('request reached a resolver without authentication');
      return principal;
    },
  };
}
