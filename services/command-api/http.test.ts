import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createEsdbClient, findFreePort } from '../platform/index.ts';
import { listenCommandApi } from './server.ts';
import { bearer, staffHeaders } from '../../test/auth-support.ts';
import { accountEvents, mutationDocument, newCommandApi } from './test-support.ts';

const { yoga, esdb } = newCommandApi();
const server = await listenCommandApi(yoga, 0, '127.0.0.1');
afterAll(() => server.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...staffHeaders, ...headers },
    body: JSON.stringify(body),
  });

describe('command API over a listening HTTP port', () => {
  it('accepts a mutation and echoes the caller’s correlation id, which lands in the event with the token’s subject', async () => {
    const accountId = randomUUID();
    const response = await post(
      { query: mutationDocument('openAccount'), variables: { input: { accountId, holderName: 'Ada', currency: 'EUR' } } },
      { 'x-correlation-id': 'http-test-1', ...(await bearer({ subject: 'clerk', roles: ['teller'] })) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBe('http-test-1');
    expect((await response.json()).data.result).toMatchObject({ __typename: 'CommandAccepted', revision: 0 });
    expect((await accountEvents(esdb, accountId))[0]?.metadata).toMatchObject({ $correlationId: 'http-test-1', actor: 'clerk' });
  });

  it('generates a correlation id when the header is missing or not a sane token', async () => {
    const response = await post({ query: '{ commandApiVersion }' }, { 'x-correlation-id': 'bad id with spaces' });
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an oversized body with 413 over the wire too', async () => {
    const response = await post({ query: '{ commandApiVersion }', variables: { padding: 'x'.repeat(10 * 1024 * 1024) } });
    expect(response.status).toBe(413);
  });

  // A streamed body has no Content-Length, so its size is only known by counting it as it arrives. Each goes
  // on a connection of its own: after a 413 the unread rest of the body makes that connection unusable.
  const chunked = (text: string, chunkSize: number) =>
    new Promise<{ status: number; json: { data?: unknown; errors?: { message: string }[] } }>((resolve, reject) => {
      const request = httpRequest(`${server.url}/graphql`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...staffHeaders } });
      request.on('error', reject).on('response', (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(body) }));
      });
      // Errors writing the rest of a refused body are the server hanging up, which is the point.
      for (let start = 0; start < text.length && !request.destroyed; start += chunkSize) request.write(text.slice(start, start + chunkSize), () => undefined);
      request.end();
    });

  it('refuses an oversized chunked body (no Content-Length) with 413', async () => {
    const { status, json } = await chunked(JSON.stringify({ query: '{ commandApiVersion }', variables: { padding: 'x'.repeat(1024 * 1024) } }), 64 * 1024);
    expect(status).toBe(413);
    expect(json.errors?.[0]?.message).toBe('Request body too large');
  });

  it('answers a chunked body within the limit', async () => {
    const { status, json } = await chunked(JSON.stringify({ query: '{ commandApiVersion }' }), 4);
    expect(status).toBe(200);
    expect(json).toEqual({ data: { commandApiVersion: '1' } });
  });

  it('answers /health, /ready and /metrics', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, eventStore: 'reachable' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/command_duration_seconds_count\{[^}]*mutation="openAccount"[^}]*outcome="accepted"[^}]*\} 1/);
    expect(metrics).toContain('# TYPE command_conflict_retries_total counter');
  });

  it('reports not ready, and answers a typed StoreUnavailable that leaks nothing, when the store is unreachable', async () => {
    const deadStore = createEsdbClient(`esdb://127.0.0.1:${await findFreePort()}?tls=false`);
    const unreachable = newCommandApi({ esdb: deadStore });
    try {
      const ready = await unreachable.yoga.fetch('http://command-api.test/ready');
      expect(ready.status).toBe(503);
      const response = await unreachable.yoga.fetch('http://command-api.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...staffHeaders },
        body: JSON.stringify({ query: mutationDocument('closeAccount'), variables: { input: { accountId: randomUUID(), commandId: 'retry-me' } } }),
      });
      const body = await response.json();
      expect(body.errors).toBeUndefined();
      expect(body.data.result).toMatchObject({ __typename: 'StoreUnavailable', commandId: 'retry-me', retryAfterMs: 1_000 });
      expect(JSON.stringify(body)).not.toMatch(/UNAVAILABLE|ECONNREFUSED|stack/);
    } finally {
      await deadStore.dispose();
    }
  });
});
