/**
 * Where a projection's read models live in Redis. Everything sits under `rm:<projection>:v<N>:` so a
 * rebuild can fill version N+1 beside the live version N and an operator swaps the active-version
 * pointer once it has caught up.
 *
 * Keys of one aggregate share the hash tag `{<aggregate>:<id>}`, and the global keys share one tag of
 * their own, so every Lua script touches a single hash slot and runs unchanged on Redis Cluster.
 */
export interface ReadModelNamespace {
  readonly projection: string;
  readonly version: number;
}

export const namespacePrefix = ({ projection, version }: ReadModelNamespace): string => `rm:${projection}:v${version}`;

/** Holds the version readers should use; outside any version's namespace, since it chooses between them. */
export const activeVersionKey = (projection: string): string => `rm:${projection}:active`;

/** Hash `{ from, to }` while a rebuild of the projection is under way (see projection-versions.ts). */
export const rebuildKey = (projection: string): string => `rm:${projection}:rebuild`;

/** The channel every apply publishes `{ stream, revision }` on. */
export const appliedChannel = (ns: ReadModelNamespace): string => `${namespacePrefix(ns)}:applied`;

export interface AccountKeys {
  /** Hash: the account summary, and `revision`, the last stream revision applied. */
  readonly summary: string;
  /** Sorted set scored by stream revision: one JSON entry per money movement. */
  readonly transactions: string;
  /** Sorted set scored by occurredAt (ms): `<revision>:<balance in minor units>`. */
  readonly balanceHistory: string;
  /** Sorted set scored by stream revision: one JSON AuditEntry per event (who, what, when, why). */
  readonly audit: string;
}

export function accountKeys(ns: ReadModelNamespace, accountId: string): AccountKeys {
  const base = `${namespacePrefix(ns)}:{account:${accountId}}`;
  return { summary: `${base}:summary`, transactions: `${base}:transactions`, balanceHistory: `${base}:balance-history`, audit: `${base}:audit` };
}

export interface TransferKeys {
  /** Hash: the transfer summary (status, accounts, amount, failure), and `revision`, the last stream revision applied. */
  readonly summary: string;
  /** Sorted set scored by stream revision: one JSON entry per step of the transfer. */
  readonly steps: string;
}

export function transferKeys(ns: ReadModelNamespace, transferId: string): TransferKeys {
  const base = `${namespacePrefix(ns)}:{transfer:${transferId}}`;
  return { summary: `${base}:summary`, steps: `${base}:steps` };
}

export interface GlobalKeys {
  /** Hash: `accounts:open`, `accounts:closed`, `balance:<CUR>` (minor units), `events`. */
  readonly stats: string;
  /** Hash: accountId → the account snapshot last folded into stats and indexes. */
  readonly contributions: string;
  /** Sorted set: accountId scored by openedAt (ms). */
  readonly byOpenedAt: string;
  /** Sorted set per currency: accountId scored by balance (minor units). */
  readonly byBalance: (currency: string) => string;
  /** Sorted set per status and currency: accountId scored by openedAt (ms). */
  readonly byStatus: (status: string, currency: string) => string;
}

export function globalKeys(ns: ReadModelNamespace): GlobalKeys {
  const base = `${namespacePrefix(ns)}:{${ns.projection}:v${ns.version}:global}`;
  return {
    stats: `${base}:stats`,
    contributions: `${base}:contributions`,
    byOpenedAt: `${base}:idx:opened-at`,
    byBalance: (currency) => `${base}:idx:balance:${currency}`,
    byStatus: (status, currency) => `${base}:idx:status:${status}:${currency}`,
  };
}
