import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer, TEST_AUTH_SECRET } from '../../test/auth-support.ts';
import { createAuthenticator, mintToken, roles, type Role } from '../platform/index.ts';
import { mutate, mutationDocument, newCommandApi, openedAccount, postGraphql, type MutationName } from './test-support.ts';

const { yoga } = newCommandApi();

/** Each mutation with what it needs set up (as staff), so an allowed caller gets CommandAccepted. */
const cases: Record<MutationName, () => Promise<Record<string, unknown>>> = {
  openAccount: async () => ({ accountId: randomUUID(), holderName: 'Grace Hopper', currency: 'EUR' }),
  depositMoney: async () => ({ accountId: await openedAccount(yoga), amount: '5.00', currency: 'EUR' }),
  withdrawMoney: async () => ({ accountId: await openedAccount(yoga, '10.00'), amount: '5.00', currency: 'EUR' }),
  closeAccount: async () => ({ accountId: await openedAccount(yoga) }),
  forgetHolder: async () => ({ accountId: await openedAccount(yoga) }),
  requestTransfer: async () => ({ fromAccountId: await openedAccount(yoga, '10.00'), toAccountId: await openedAccount(yoga), amount: '5.00', currency: 'EUR' }),
};

const allowed: Record<MutationName, readonly Role[]> = {
  openAccount: ['teller', 'admin'],
  depositMoney: ['teller', 'admin'],
  withdrawMoney: ['teller', 'admin'],
  closeAccount: ['admin'],
  forgetHolder: ['admin'],
  requestTransfer: ['teller', 'admin'],
};

const table = Object.entries(cases).flatMap(([mutation, setup]) =>
  roles.map((role) => ({ mutation: mutation as MutationName, role, setup, allowed: allowed[mutation as MutationName].includes(role) })),
);

describe('command API roles', () => {
  it.each(table)('$mutation as $role: allowed=$allowed', async ({ mutation, role, setup, allowed: isAllowed }) => {
    const input = await setup();
    const headers = await bearer({ subject: `a-${role}`, roles: [role], accounts: [String(input.accountId)] });
    const result = await mutate(yoga, mutation, input, headers);
    if (isAllowed) expect(result).toMatchObject({ __typename: 'CommandAccepted' });
    else expect(result).toMatchObject({ __typename: 'Forbidden', operation: mutation, requiredRoles: allowed[mutation] });
  });

  it('refuses a token with no known role, and names the roles that would do', async () => {
    const result = await mutate(yoga, 'openAccount', { holderName: 'Nobody', currency: 'EUR' }, await bearer({ subject: 'x', roles: [] }));
    expect(result).toMatchObject({ __typename: 'Forbidden', message: 'openAccount needs one of the roles teller, admin' });
  });
});

describe('command API authentication', () => {
  const document = JSON.stringify({ query: mutationDocument('openAccount'), variables: { input: { holderName: 'Eve', currency: 'EUR' } } });
  const otherSecret = 'an-attacker-chosen-secret-0123456789abcdef';
  const unsignedToken = (claims: object) =>
    [{ alg: 'none', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.';
  const future = Math.floor(Date.now() / 1_000) + 3_600;

  it.each([
    { name: 'missing', headers: {}, reason: 'missing' },
    { name: 'not a bearer token', headers: { authorization: 'Basic dGVsbGVyOnNlY3JldA==' }, reason: 'malformed' },
    { name: 'expired', headers: async () => bearer({ subject: 'late', roles: ['admin'], expiresAt: Math.floor(Date.now() / 1_000) - 60 }), reason: 'expired' },
    { name: 'signed with another secret', headers: async () => ({ authorization: `Bearer ${await mintToken(otherSecret, { subject: 'eve', roles: ['admin'] })}` }), reason: 'invalid' },
    { name: 'unsigned (alg none)', headers: { authorization: `Bearer ${unsignedToken({ sub: 'eve', roles: ['admin'], exp: future })}` }, reason: 'invalid' },
    { name: 'garbage', headers: { authorization: 'Bearer not.a.jwt' }, reason: 'invalid' },
  ])('answers 401 with a clear error and appends nothing when the token is $name', async ({ headers, reason }) => {
    const given = typeof headers === 'function' ? await headers() : headers;
    const response = await yoga.fetch('http://command-api.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', ...given }, body: document,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_(request|token)"$/);
    const body = await response.json();
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }]);
    expect(JSON.stringify(body)).not.toMatch(/stack|\.ts:|JWS|jose/i);
  });

  it('refuses a token whose issuer or audience is not the configured one', async () => {
    const strict = newCommandApi({ auth: createAuthenticator({ kind: 'hs256', secret: TEST_AUTH_SECRET, issuer: 'https://id.bank', audience: 'ledgerline' }) });
    const post = async (claims: { issuer?: string; audience?: string }) =>
      (await postGraphql(strict.yoga, JSON.stringify({ query: '{ commandApiVersion }' }), await bearer({ subject: 's', roles: ['teller'], ...claims }))).status;
    expect(await post({ issuer: 'https://id.bank', audience: 'ledgerline' })).toBe(200);
    expect(await post({ issuer: 'https://evil.example', audience: 'ledgerline' })).toBe(401);
    expect(await post({ issuer: 'https://id.bank', audience: 'another-api' })).toBe(401);
    expect(await post({})).toBe(401);
  });

  it('leaves /health and /ready open to probes without a token', async () => {
    expect((await yoga.fetch('http://command-api.test/health')).status).toBe(200);
    expect((await yoga.fetch('http://command-api.test/ready')).status).toBe(200);
  });
});
