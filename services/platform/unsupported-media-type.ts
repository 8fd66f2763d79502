// Yoga answers a body it has no parser for (text/plain, XML, no content type…) with a bare 415 and an
// empty body, which tells a client nothing. This answers the same status with a GraphQL error that
// says what to send instead, like every other refusal of both APIs.
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export function explainUnsupportedMediaType(): Plugin {
  return {
    onRequestParse({ request, requestParser }) {
      if (requestParser !== undefined) return;
      const contentType = request.headers.get('content-type');
      const sent = contentType === null ? 'no content type' : `content type "${contentType.slice(0, 100)}"`;
      throw createGraphQLError(`Unsupported ${sent}: send application/json (or a GET with a query string).`, {
        extensions: { http: { status: 415 }, code: 'UNSUPPORTED_MEDIA_TYPE' },
      });
    },
  };
}
