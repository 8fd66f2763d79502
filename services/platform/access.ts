import { createGraphQLError, maskError } from 'graphql-yoga';
import type { Principal, Role } from './auth.ts';

/** The caller is authenticated but its roles do not allow the operation: a typed error in both schemas. */
export class Forbidden extends Error {
  override readonly name = 'Forbidden';
  constructor(readonly operation: string, readonly requiredRoles: readonly Role[]) {
    super(`${operation} needs one of the roles ${requiredRoles.join(', ')}`);
  }
}

/**
 * Who may do what, per operation: the roles that may, and whether a holder may for an account it holds.
 * Each API keeps its table where its operations are defined, so a new operation is one new line.
 */
export interface AccessRule {
  readonly roles: readonly Role[];
  readonly holderOfAccount?: boolean;
}

export function isAllowed(principal: Principal, rule: AccessRule, accountId?: string): boolean {
  if (rule.roles.some((role) => principal.roles.has(role))) return true;
  return rule.holderOfAccount === true && accountId !== undefined && principal.roles.has('holder') && principal.accounts.has(accountId);
}

/** Throws Forbidden unless the rule allows the principal (for the account, when the operation names one). */
export function authorize(principal: Principal, operation: string, rule: AccessRule, accountId?: string): void {
  if (!isAllowed(principal, rule, accountId)) {
    throw new Forbidden(operation, rule.holderOfAccount ? [...rule.roles, 'holder'] : rule.roles);
  }
}

/**
 * Error masking for both APIs: unexpected errors reach clients as "Unexpected error." with no stack,
 * whatever NODE_ENV says; a Forbidden outside a result union becomes a FORBIDDEN error with its message.
 */
export function maskUnexpectedError(error: unknown, message: string): Error {
  // Duck-typed: yoga may hold a GraphQLError of graphql's other (CommonJS or ESM) build.
  const original = error instanceof Error && 'originalError' in error ? error.originalError : error;
  if (original instanceof Forbidden) {
    return createGraphQLError(original.message, {
      extensions: { code: 'FORBIDDEN', requiredRoles: [...original.requiredRoles] },
    });
  }
  return maskError(error, message, false);
}
