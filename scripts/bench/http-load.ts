// HTTP load the service benchmarks share: autocannon for closed-loop peaks, an open-loop paced sender
// for latency at a given rate, and single GraphQL calls over node:http keep-alive (the load generator
// shares the two cores with every service it measures, and fetch costs it several times more CPU).
import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import { percentile } from './figures.ts';

export interface LoadRow {
  readonly name: string;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface Load {
  readonly seconds: number;
  readonly connections: number;
}

export const post = (body: string) => ({ method: 'POST' as const, headers: { 'content-type': 'application/json' }, body });

/** Each request gets a fresh body from `body()`. */
export const postEach = (body: () => string): Pick<autocannon.Options, 'requests'> => ({
  requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: body() }) }],
});

export async function cannon(name: string, load: Load, options: autocannon.Options): Promise<LoadRow> {
  const result = await autocannon({ connections: load.connections, duration: load.seconds, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name, perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

/**
 * Load over several servers: autocannon opens connection i to urls[i % urls.length] (its README: "more
 * than one url is allowed"), i.e. round-robin by connection, as a keep-alive load balancer would. Its
 * type declarations only know a single url, hence the cast.
 */
export const spreadOver = (urls: readonly string[]): Pick<autocannon.Options, 'url'> => ({ url: [...urls] as unknown as string });

/** Latencies (ms) to a row: sorts them in place. */
export function rowOf(name: string, latencies: number[], seconds: number, errors: number): LoadRow {
  latencies.sort((a, b) => a - b);
  return { name, perSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}

export interface PacedRow extends LoadRow {
  readonly p999: number;
  /** p99 of how late this process sent a request (ms after it was due): the generator's own stalls. */
  readonly lateP99: number;
}

/** Open loop: one request every 1/rate s over at most `connections` keep-alive sockets; latency from when it was due. */
export async function paced(name: string, url: string, rate: number, load: Load, body: () => string): Promise<PacedRow> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.connections });
  const latencies: number[] = [];
  const lateness: number[] = [];
  let errors = 0;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const payload = body();
      lateness.push(performance.now() - due);
      const request = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } });
      request.on('error', () => ((errors += 1), resolve()));
      request.on('response', (response) => {
        if (response.statusCode !== 200) errors += 1;
        response.resume().on('end', () => (latencies.push(performance.now() - due), resolve()));
      });
      request.end(payload);
    });
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < Math.floor(rate * load.seconds); index += 1) {
    const due = start + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const row = rowOf(name, latencies, (performance.now() - start) / 1000, errors);
  lateness.sort((a, b) => a - b);
  return { ...row, p999: percentile(latencies, 0.999), lateP99: percentile(lateness, 0.99) };
}

// Answers are probed field by field with optional chaining; a wrong shape counts as an error.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = Record<string, any>;

// Idle sockets are dropped after 4 s, before the services close them (listenHttp's keepAliveTimeout, 5 s):
// without a timeout of its own, node's agent keeps them until the server's FIN arrives, and a request sent
// on one in the meantime fails with "socket hang up". The cap on sockets stays: without it a load generator
// that catches up after a stall opens hundreds of connections at once, overflows the service's accept
// queue, and those requests fail with ECONNRESET seconds later. Requests only queue for a socket here
// once 256 are in flight, i.e. when the pipeline is already far behind.
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });

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
