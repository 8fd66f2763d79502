// Tests authenticate the way clients do: an HS256 token signed with the run's test secret.
import { createAuthenticator, mintToken, type TokenClaims } from '../services/platform/index.ts';

export const TEST_AUTH_SECRET = 'ledgerline-tests-only-secret-0123456789';
export const testAuthenticator = createAuthenticator({ kind: 'hs256', secret: TEST_AUTH_SECRET });

/** The Authorization header for a token with these claims. */
export async function bearer(claims: TokenClaims): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await mintToken(TEST_AUTH_SECRET, claims)}` };
}

/** A member of staff with every staff role: what tests use unless they test the roles themselves. */
export const staffHeaders = await bearer({ subject: 'test-staff', roles: ['teller', 'auditor', 'admin'] });
