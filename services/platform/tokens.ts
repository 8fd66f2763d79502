import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { createAuthenticator, roles, type Authenticator, type Role } from './auth.ts';

export interface TokenClaims {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly accounts?: readonly string[];
  /** jose's time span, e.g. "12h", or a number of seconds since the epoch (tests use a past one). */
  readonly expiresAt?: string | number;
  readonly issuer?: string;
  readonly audience?: string;
}

/** Signs an HS256 token: for `npm run dev` and tests; production tokens come from the identity provider. */
export function mintToken(secret: string, claims: TokenClaims): Promise<string> {
  let jwt = new SignJWT({ roles: [...claims.roles], ...(claims.accounts ? { accounts: [...claims.accounts] } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(claims.expiresAt ?? '12h');
  if (claims.issuer !== undefined) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience !== undefined) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** One token per role, for people trying the APIs by hand; the holder's lists no accounts. */
export async function mintDevTokens(secret: string): Promise<Record<Role, string>> {
  const entries = await Promise.all(roles.map(async (role) => [role, await mintToken(secret, { subject: `dev-${role}`, roles: [role] })] as const));
  return Object.fromEntries(entries) as Record<Role, string>;
}

/**
 * Authentication for `npm run dev`: HS256 with `secret` (AUTH_JWT_SECRET), or a fresh random one, and a
 * token per role for the launcher to print, ready for GraphiQL's headers as {"Authorization": "Bearer …"}.
 */
export async function devAuthentication(secret = process.env.AUTH_JWT_SECRET ?? randomBytes(32).toString('hex')): Promise<{ auth: Authenticator; tokens: Record<Role, string> }> {
  return { auth: createAuthenticator({ kind: 'hs256', secret }), tokens: await mintDevTokens(secret) };
}
