import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export const roles = ['teller', 'auditor', 'admin', 'holder'] as const;
export type Role = (typeof roles)[number];

/** Who is asking, as the token says: its subject, its known roles, and (for holders) the accounts it holds. */
export interface Principal {
  readonly subject: string;
  readonly roles: ReadonlySet<Role>;
  /** Account ids from the token's `accounts` claim: a holder reads only these. */
  readonly accounts: ReadonlySet<string>;
}

export type AuthFailure = 'missing' | 'malformed' | 'expired' | 'invalid';

/** Authentication failed: the API answers 401 with this message, never with the library's reason. */
export class AuthenticationFailed extends Error {
  override readonly name = 'AuthenticationFailed';
  constructor(readonly failure: AuthFailure) {
    super(
      {
        missing: 'Authentication required: send Authorization: Bearer <token>',
        malformed: 'The Authorization header is not "Bearer <token>"',
        expired: 'The bearer token has expired',
        invalid: 'The bearer token is not valid here (signature, issuer, audience or claims)',
      }[failure],
    );
  }
}

export type AuthConfig =
  | { readonly kind: 'hs256'; readonly secret: string; readonly issuer?: string | undefined; readonly audience?: string | undefined }
  | { readonly kind: 'jwks'; readonly jwks: JSONWebKeySet; readonly issuer?: string | undefined; readonly audience?: string | undefined }
  /** Every request is "anonymous" with every staff role; auth-env.ts refuses this in production. */
  | { readonly kind: 'disabled' };

export interface Authenticator {
  /** Verifies the request's Authorization header; throws AuthenticationFailed. */
  readonly authenticate: (authorization: string | null) => Promise<Principal>;
}

const ANONYMOUS: Principal = { subject: 'anonymous', roles: new Set<Role>(['teller', 'auditor', 'admin']), accounts: new Set() };
// The subject lands in every event's metadata as the actor, so it is kept to a sane, bounded token.
const subjectPattern = /^[\p{L}\p{N} ._@:|-]{1,128}$/u;
const isRole = (value: unknown): value is Role => (roles as readonly unknown[]).includes(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** Verified tokens kept per process: clients reuse a token for many requests, and verifying costs CPU. */
const VERIFIED_TOKENS_KEPT = 10_000;

export function createAuthenticator(config: AuthConfig, now: () => number = Date.now): Authenticator {
  if (config.kind === 'disabled') return { authenticate: async () => ANONYMOUS };
  const options = {
    // Pinned: a token must never choose its own algorithm (e.g. "none", or HS256 keyed with a public key).
    algorithms: config.kind === 'hs256' ? ['HS256'] : ['RS256', 'ES256', 'EdDSA'],
    requiredClaims: ['sub', 'exp'],
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(config.audience === undefined ? {} : { audience: config.audience }),
  };
  const secret = config.kind === 'hs256' ? new TextEncoder().encode(config.secret) : undefined;
  const keySet: JWTVerifyGetKey | undefined = config.kind === 'jwks' ? createLocalJWKSet(config.jwks) : undefined;
  const verify = (token: string) => (secret !== undefined ? jwtVerify(token, secret, options) : jwtVerify(token, keySet!, options));
  // A token's signature and claims never change, so a verified one stays good until its expiry.
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  return {
    authenticate: async (authorization) => {
      if (authorization === null || authorization.trim() === '') throw new AuthenticationFailed('missing');
      const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
      if (match === null) throw new AuthenticationFailed('malformed');
      const token = match[1]!;
      const cached = verified.get(token);
      if (cached !== undefined) {
        if (now() < cached.expiresAtMs) return cached.principal;
        verified.delete(token);
        throw new AuthenticationFailed('expired');
      }
      let payload;
      try {
        ({ payload } = await verify(token));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new AuthenticationFailed('expired');
        if (error instanceof errors.JOSEError || error instanceof TypeError) throw new AuthenticationFailed('invalid');
        throw error;
      }
      if (typeof payload.sub !== 'string' || !subjectPattern.test(payload.sub)) throw new AuthenticationFailed('invalid');
      const principal: Principal = { subject: payload.sub, roles: new Set(strings(payload.roles).filter(isRole)), accounts: new Set(strings(payload.accounts)) };
      if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
      // requiredClaims made jose check that exp is there and a number.
      verified.set(token, { principal, expiresAtMs: (payload.exp as number) * 1_000 });
      return principal;
    },
  };
}
