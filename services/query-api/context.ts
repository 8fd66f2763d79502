import type { Logger, Principal } from '../platform/index.ts';
import type { AppliedFeed } from './applied-feed.ts';
import type { QueryMetrics } from './metrics.ts';
import type { AccountReadModels } from './read-models.ts';
import type { TransferReadModels } from './transfer-read-models.ts';

/** What every resolver gets that is the same for all requests of one query-api instance. */
export interface SharedQueryContext {
  readonly readModels: AccountReadModels;
  readonly feed: AppliedFeed;
  readonly transferReadModels: TransferReadModels;
  /** The transfers projection's applied messages, for read-your-writes on transfers. */
  readonly transferFeed: AppliedFeed;
  readonly transferStreamPrefix: string;
  readonly metrics: QueryMetrics;
  readonly log: Logger;
  /** Account streams are `<streamPrefix><accountId>`; consistency tokens name those streams. */
  readonly streamPrefix: string;
  readonly consistencyTimeoutMs: number;
  readonly maxPageSize: number;
  /** Aborted when the instance shuts down: live subscriptions end on it. */
  readonly shutdown: AbortSignal;
}

export interface QueryApiContext extends SharedQueryContext {
  /** Who is asking, from the bearer token. */
  readonly principal: Principal;
}
