// Yoga runs each plugin's onRequestParse through its promise helpers, with a fresh payload and callbacks
// per hook: about 1.5 KB allocated per hook and request, measured (scripts/bench/deposit-cost.ts). The
// checks every GraphQL request passes (body size, media type, bearer token) run here in one hook, in
// that order, each with the request parser the one before it left, as they did as separate plugins.
import type { Plugin } from 'graphql-yoga';
import type { BearerAuth } from './bearer-auth.ts';
import { bodySizeLimit } from './body-size-limit.ts';
import { explainUnsupportedMediaType } from './unsupported-media-type.ts';

type OnRequestParse = NonNullable<Plugin['onRequestParse']>;
type RequestParsePayload = Parameters<OnRequestParse>[0];

/** Body size limit, then the unsupported media type error, then authentication: one onRequestParse hook. */
export function graphqlRequestChecks(options: { readonly maxRequestBodySize: number; readonly auth: BearerAuth }): Plugin {
  return inOneRequestParseHook([bodySizeLimit(options.maxRequestBodySize), explainUnsupportedMediaType(), options.auth.plugin]);
}

/** Runs the plugins' onRequestParse hooks in order as one; they may have no other hooks and no onRequestParseDone. */
function inOneRequestParseHook(plugins: readonly Plugin[]): Plugin {
  const hooks = plugins.map(({ onRequestParse, ...others }) => {
    if (onRequestParse === undefined || Object.keys(others).length > 0) throw new Error('only onRequestParse hooks can be folded');
    return onRequestParse;
  });
  return {
    onRequestParse(payload) {
      let requestParser = payload.requestParser;
      const setRequestParser: RequestParsePayload['setRequestParser'] = (parser) => {
        requestParser = parser;
        payload.setRequestParser(parser);
      };
      const runFrom = (first: number): Promise<void> | undefined => {
        for (let index = first; index < hooks.length; index += 1) {
          const result = hooks[index]!({ ...payload, requestParser, setRequestParser });
          if (result instanceof Promise) return result.then((done) => (assertNoDoneHook(done), runFrom(index + 1)));
          assertNoDoneHook(result);
        }
        return undefined;
      };
      return runFrom(0);
    },
  };
}

function assertNoDoneHook(result: unknown): void {
  if (result !== undefined) throw new Error('a folded onRequestParse hook returned an onRequestParseDone');
}
