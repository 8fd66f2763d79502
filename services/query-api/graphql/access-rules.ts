import { authorize, type AccessRule } from '../../platform/index.ts';
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
} as const satisfies Record<string, AccessRule>;

export type QueryName = keyof typeof queryAccess;

/** Throws Forbidden unless the caller may run this query (on this account, when it names one). */
export function guard(context: QueryApiContext, query: QueryName, accountId?: string): void {
  authorize(context.principal, query, queryAccess[query], accountId);
}
