import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthenticationFailed, createAuthenticator } from './auth.ts';
import { authEnvSchema } from './auth-env.ts';
import { mintDevTokens, mintToken } from './tokens.ts';

const secret = 'platform-auth-test-secret-0123456789abcdef';
const hs256 = createAuthenticator({ kind: 'hs256', secret });
const failureOf = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: unknown) => (error instanceof AuthenticationFailed ? error.failure : String(error)));

describe('createAuthenticator', () => {
  it('turns a valid token into a principal: subject, known roles, held accounts', async () => {
    const token = await mintToken(secret, { subject: 'ana@bank', roles: ['holder', 'teller'], accounts: ['acc-1'] });
    const principal = await hs256.authenticate(`Bearer ${token}`);
    expect(principal.subject).toBe('ana@bank');
    expect([...principal.roles].sort()).toEqual(['holder', 'teller']);
    expect([...principal.accounts]).toEqual(['acc-1']);
  });

  it('ignores roles it does not know rather than failing the token', async () => {
    const token = await new SignJWT({ roles: ['superuser', 'auditor', 7] }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').setExpirationTime('1h').sign(new TextEncoder().encode(secret));
    expect([...(await hs256.authenticate(`Bearer ${token}`)).roles]).toEqual(['auditor']);
  });

  it('refuses a token without an expiry, or whose subject could not be an actor', async () => {
    const key = new TextEncoder().encode(secret);
    const noExpiry = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').sign(key);
    expect(await failureOf(hs256.authenticate(`Bearer ${noExpiry}`))).toBe('invalid');
    const badSubject = await mintToken(secret, { subject: 'line\nbreak', roles: ['admin'] });
    expect(await failureOf(hs256.authenticate(`Bearer ${badSubject}`))).toBe('invalid');
  });

  it('verifies tokens against a JWKS and refuses an HS256 token keyed with a public key from it', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const jwks = createAuthenticator({ kind: 'jwks', jwks: { keys: [jwk] } });
    const token = await new SignJWT({ roles: ['auditor'] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('idp-user').setExpirationTime('5m').sign(privateKey);
    expect((await jwks.authenticate(`Bearer ${token}`)).subject).toBe('idp-user');
    const confused = await mintToken(JSON.stringify(jwk), { subject: 'eve', roles: ['admin'] });
    expect(await failureOf(jwks.authenticate(`Bearer ${confused}`))).toBe('invalid');
  });

  it('refuses a token it verified before, once that token has expired', async () => {
    let clock = Date.now();
    const authenticator = createAuthenticator({ kind: 'hs256', secret }, () => clock);
    const header = `Bearer ${await mintToken(secret, { subject: 'brief', roles: ['teller'], expiresAt: Math.floor(clock / 1_000) + 60 })}`;
    expect((await authenticator.authenticate(header)).subject).toBe('brief');
    expect((await authenticator.authenticate(header)).subject).toBe('brief');
    clock += 61_000;
    expect(await failureOf(authenticator.authenticate(header))).toBe('expired');
  });

  it('lets everyone in as a staff "anonymous" when disabled', async () => {
    const principal = await createAuthenticator({ kind: 'disabled' }).authenticate(null);
    expect(principal.subject).toBe('anonymous');
    expect([...principal.roles].sort()).toEqual(['admin', 'auditor', 'teller']);
  });
});

describe('dev tokens', () => {
  it('gives one token per role that the APIs accept, each with just that role', async () => {
    const tokens = await mintDevTokens(secret);
    for (const [role, token] of Object.entries(tokens)) {
      const principal = await hs256.authenticate(`Bearer ${token}`);
      expect([principal.subject, [...principal.roles]]).toEqual([`dev-${role}`, [role]]);
    }
    expect(Object.keys(tokens).sort()).toEqual(['admin', 'auditor', 'holder', 'teller']);
  });
});

describe('authentication settings', () => {
  const issues = (env: Record<string, string>) => {
    const parsed = authEnvSchema.safeParse(env);
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  };

  it('refuses AUTH_DISABLED when NODE_ENV=production, and accepts it elsewhere', () => {
    expect(issues({ AUTH_DISABLED: 'true', NODE_ENV: 'production' })).toEqual(['AUTH_DISABLED is refused when NODE_ENV=production']);
    expect(issues({ AUTH_DISABLED: 'true', NODE_ENV: 'development' })).toEqual([]);
  });

  it('needs exactly one way to verify tokens, and a secret long enough to be a key', () => {
    expect(issues({})).toEqual([expect.stringContaining('exactly one of AUTH_JWT_SECRET or AUTH_JWKS_FILE')]);
    expect(issues({ AUTH_JWT_SECRET: secret, AUTH_JWKS_FILE: '/etc/jwks.json' })).toHaveLength(1);
    expect(issues({ AUTH_JWT_SECRET: 'short' })).toEqual([expect.stringMatching(/32/)]);
    expect(issues({ AUTH_JWT_SECRET: secret })).toEqual([]);
  });
});
