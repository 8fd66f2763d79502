import type { AccessRule } from '../../platform/index.ts';

/**
 * Who may run each mutation. A new mutation is one line here; the Record type makes a missing line a
 * compile error. Admins may do everything a teller may; reading is the query API's business.
 */
export const mutationAccess = {
  openAccount: { roles: ['teller', 'admin'] },
  depositMoney: { roles: ['teller', 'admin'] },
  withdrawMoney: { roles: ['teller', 'admin'] },
  closeAccount: { roles: ['admin'] },
  forgetHolder: { roles: ['admin'] },
  requestTransfer: { roles: ['teller', 'admin'] },
} as const satisfies Record<string, AccessRule>;

export type MutationName = keyof typeof mutationAccess;
