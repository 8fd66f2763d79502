// What the benchmarks that drive the APIs over HTTP share: a cheap GraphQL POST and percentiles.
import { Agent, request as httpRequest } from 'node:http';

// Answers are probed field by field with optional chaining; a wrong shape counts as an error.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = Record<string, any>;

// node:http with keep-alive rather than fetch: the load generator shares the two cores with every
// service it measures, and fetch costs it several times more CPU per request.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function graphql(url: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const payload = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    request.end(payload);
  });
}

/** The q-quantile (0..1) of ascending `sorted` values; 0 when there are none. */
export const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
