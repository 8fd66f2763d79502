// The request body limit, in place of yoga's `maxRequestBodySize`. Yoga pipes every body through a
// byte-counting TransformStream (with an AbortController, a pipeline and a new Request each time), which
// profiling showed as roughly a tenth of the command API's CPU per request. A declared Content-Length
// needs no counting: node:http reads exactly that many bytes as the body, and rejects a request that
// declares both a length and chunked encoding. Only bodies of unknown length are counted as they stream.
import { createGraphQLError, type FetchAPI, type Plugin } from 'graphql-yoga';

const requestBodyTooLarge = () =>
  createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });

const invalidContentLength = () =>
  createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });

// One non-negative integer; anything else (e.g. "10, 20" in a smuggling attempt) is refused, not skipped.
const CONTENT_LENGTH_PATTERN = /^\d+$/;

/** Refuses bodies over `limit` bytes with 413, as yoga's own limit does; yoga's must be turned off. */
export function bodySizeLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        if (!CONTENT_LENGTH_PATTERN.test(contentLength)) throw invalidContentLength();
        if (Number(contentLength) > limit) throw requestBodyTooLarge();
        return;
      }
      if (requestParser === undefined || request.body === null) return;
      setRequestParser((unlimited) => requestParser(countingBody(unlimited, limit, fetchAPI)));
    },
  };
}

/** The request with a body that errors with 413 once more than `limit` bytes have streamed through. */
function countingBody(request: Request, limit: number, fetchAPI: FetchAPI): Request {
  if (request.body === null) return request;
  // A native ReadableStream only pipes into a native TransformStream (graphql-yoga issue #4583).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytesRead = 0;
  const counted = new Transform<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytesRead += chunk.byteLength;
      if (bytesRead > limit) controller.error(requestBodyTooLarge());
      else controller.enqueue(chunk);
    },
  });
  const { method, headers, signal } = request;
  return new fetchAPI.Request(request.url, { method, headers, signal, body: request.body.pipeThrough(counted), duplex: 'half' } as RequestInit);
}
