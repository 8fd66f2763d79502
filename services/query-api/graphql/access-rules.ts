import { authorize, isAllowed, type AccessRule } from '../../platform/index.ts';
import type { QueryApiContext } from '../context.ts';

/**
 * Who may read what. Auditors read everything, admins too (operations need it); a holder reads the
 * accounts its token lists. A new query is one line here. Tellers write through the command API and
 * read nothing unless their token also carries the auditor role.
 */
export const queryAccess = {
  account: { roles: ['auditor', 'admin'], holderOfAccount: true },
  balanceAt: { roles: ['auditor', 'admin'], holderOfAccount: true },
  accountTransactions: { roles: ['auditor', 'admin'], holderOfAccount: true },
  accountUpdated: { roles: ['auditor', 'admin'], holderOfAccount: true },
  accounts: { roles: ['auditor', 'admin'] },
  stats: { roles: ['auditor', 'admin'] },
  accountAudit: { roles: ['auditor', 'admin'] },
  // A transfer names two accounts: the holder of either may read it (see guardAnyAccount).
  transfer: { roles: ['auditor', 'admin'], holderOfAccount: true },
} as const satisfies Record<string, AccessRule>;

export type QueryName = keyof typeof queryAccess;

/** Throws Forbidden unless the caller may run this query (on this account, when it names one). */
export function guard(context: QueryApiContext, query: QueryName, accountId?: string): void {
  authorize(context.principal, query, queryAccess[query], accountId);
}

/**
 * For what names several accounts (a transfer): throws Forbidden unless the caller may read one of
 * `accountIds`. Without them (not read yet), unless the caller could read anything at all, so that
 * nobody else waits for a consistency token or learns whether something exists.
 */
export function guardAnyAccount(context: QueryApiContext, query: QueryName, accountIds?: readonly string[]): void {
  const { principal } = context;
  const rule = queryAccess[query];
  const candidates = accountIds ?? [...principal.accounts];
  if (!candidates.some((accountId) => isAllowed(principal, rule, accountId))) authorize(principal, query, rule);
}
