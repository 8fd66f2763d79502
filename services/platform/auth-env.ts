import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { JSONWebKeySet } from 'jose';
import type { AuthConfig } from './auth.ts';
import { parseEnv } from './env.ts';

/** The authentication variables; each API's env schema includes them, so its env file lists them all. */
export const authEnvShape = {
  NODE_ENV: z.string().optional(),
  /** HS256 shared secret; at least 32 characters, the size of the HMAC key it stands for. */
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  /** A JSON Web Key Set file with the identity provider's public keys (RS256, ES256 or EdDSA). */
  AUTH_JWKS_FILE: z.string().min(1).optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Lets every request in as an anonymous admin: for benchmarks and local experiments only. */
  AUTH_DISABLED: z.stringbool().default(false),
};

export const authEnvSchema = z
  .object(authEnvShape)
  .refine((env) => !(env.AUTH_DISABLED && env.NODE_ENV === 'production'), {
    message: 'AUTH_DISABLED is refused when NODE_ENV=production',
    path: ['AUTH_DISABLED'],
  })
  .refine((env) => env.AUTH_DISABLED || (env.AUTH_JWT_SECRET === undefined) !== (env.AUTH_JWKS_FILE === undefined), {
    message: 'set exactly one of AUTH_JWT_SECRET or AUTH_JWKS_FILE (or AUTH_DISABLED=true outside production)',
    path: ['AUTH_JWT_SECRET'],
  });

/** The authentication the environment asks for; a bad or missing setting stops start-up with a clear message. */
export function readAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const parsed = parseEnv(authEnvSchema, env);
  if (parsed.AUTH_DISABLED) return { kind: 'disabled' };
  const claims = { issuer: parsed.AUTH_ISSUER, audience: parsed.AUTH_AUDIENCE };
  if (parsed.AUTH_JWT_SECRET !== undefined) return { kind: 'hs256', secret: parsed.AUTH_JWT_SECRET, ...claims };
  const file = parsed.AUTH_JWKS_FILE!;
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    process.stderr.write(`Invalid environment: AUTH_JWKS_FILE ${file} is not a readable JSON file (${String(error)})\n`);
    process.exit(1);
  }
  return { kind: 'jwks', jwks, ...claims };
}

/** Production hides the schema: no introspection, no GraphiQL. */
export const isProduction = (env: NodeJS.ProcessEnv = process.env): boolean => env.NODE_ENV === 'production';
