// Property-based fuzzing of raw HTTP requests to both APIs, over real HTTP on loopback: random bytes,
// wrong content types, huge and deeply nested JSON, deep GraphQL documents. Never a 500, never a stack
// trace or a masked "Unexpected error." for input the client got wrong: every refusal says what is
// wrong. Bounded: a fixed seed (FUZZ_SEED overrides it) and a few dozen runs per API.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandApi, listenCommandApi } from '../services/command-api/index.ts';
import { createEsdbClient, createKeyStore, type RunningHttpServer } from '../services/platform/index.ts';
import { createQueryApi, listenQueryApi, type QueryApi } from '../services/query-api/index.ts';
import { staffHeaders, testAuthenticator } from './auth-support.ts';
import { esdbConnectionString, newRedisClient, redisTarget } from './harness.ts';
import { silentLog } from './query-api-support.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20_261_123);
const NUM_RUNS = 60;
const STACK_LINE = /\n\s+at /;

const esdb = createEsdbClient(esdbConnectionString());
let queryApi: QueryApi;
const servers: Record<'command' | 'query', RunningHttpServer | undefined> = { command: undefined, query: undefined };
beforeAll(async () => {
  const keyStore = createKeyStore(await newRedisClient());
  servers.command = await listenCommandApi(createCommandApi({ esdb, log: silentLog, auth: testAuthenticator, keyStore }), 0, '127.0.0.1');
  queryApi = await createQueryApi({ redisTarget: redisTarget(), log: silentLog, auth: testAuthenticator, projection: 'fuzz-bodies' });
  servers.query = await listenQueryApi(queryApi, 0, '127.0.0.1');
});
afterAll(async () => {
  await Promise.all([servers.command?.stop(), servers.query?.stop()]);
  await queryApi?.close();
  await esdb.dispose();
});

/** A body as fast-check shows it in a counterexample: its size and start, not megabytes of bytes. */
class Body {
  constructor(readonly bytes: Uint8Array) {}
  toString(): string {
    return `${this.bytes.length} bytes: ${JSON.stringify(new TextDecoder().decode(this.bytes.slice(0, 120)))}…`;
  }
}

const nested = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
const encode = (text: string) => new Body(new TextEncoder().encode(text));
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => new Body(bytes)),
  fc.jsonValue().map((value) => encode(JSON.stringify(value))),
  fc.string({ unit: 'binary', maxLength: 500 }).map(encode),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => encode(nested(depth, '[', ']'))),
  fc.integer({ min: 1, max: 5_000 }).map((depth) =>
    encode(`{"query":"mutation($input: DepositMoneyInput!) { depositMoney(input: $input) { __typename } }","variables":{"input":${nested(depth, '{"a":', '}')}}}`),
  ),
  fc.integer({ min: 1, max: 3_000 }).map((depth) => encode(JSON.stringify({ query: `{ ${nested(depth, 'a { ', ' }', 'b')} }` }))),
  fc.integer({ min: 1, max: 2_000 }).map((aliases) => encode(JSON.stringify({ query: `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: __typename`).join(' ')} }` }))),
  fc.integer({ min: 60_000, max: 400_000 }).map((size) => encode(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(size) } }))),
);
const contentTypes = fc.oneof(
  fc.constantFrom('application/json', 'text/plain', 'application/graphql', 'application/graphql-response+json', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=utf-16', 'text/html'),
  fc.string({ maxLength: 30 }).filter((type) => /^[\x21-\x7e ]*$/.test(type)),
);

describe.each(['command', 'query'] as const)('raw HTTP bodies to the %s API', (api) => {
  it('never answer 500 or leak internals', async () => {
    console.log(`fuzzing the ${api} API's HTTP bodies with seed ${seed}`);
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, async (body, contentType) => {
        // Authenticated, so the bodies reach parsing and the limits rather than stopping at the 401.
        const headers = contentType === '' ? staffHeaders : { ...staffHeaders, 'content-type': contentType };
        const response = await fetch(`${servers[api]!.url}/graphql`, { method: 'POST', headers, body: Buffer.from(body.bytes) });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        expect(text).not.toMatch(STACK_LINE);
        expect(text).not.toContain('Unexpected error.');
        if (response.status >= 400) {
          const { errors } = JSON.parse(text) as { errors: { message: string }[] };
          expect(errors[0]!.message).toMatch(/\w/);
        }
      }),
      { seed, numRuns: NUM_RUNS },
    );
  });
});
