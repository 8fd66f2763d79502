import type { Logger, Principal, RateLimiter } from '../platform/index.ts';
import type { AccountCommandHandler } from './command-handler.ts';
import type { CommandMetrics } from './metrics.ts';
import type { TransferCommandHandler } from './transfer-command-handler.ts';

/** What every resolver gets: the handler, and who is asking in which request. */
export interface CommandApiContext {
  readonly handler: AccountCommandHandler;
  readonly transfers: TransferCommandHandler;
  readonly correlationId: string;
  /** Who is asking, from the bearer token; its subject is every event's actor. */
  readonly principal: Principal;
  /** Mutations per client (token subject, or address when authentication is off); undefined: unlimited. */
  readonly rateLimiter: RateLimiter | undefined;
  readonly clientKey: string;
  /** The service's logger, not a child per request (it cost more than the line it may not write): log lines name their correlationId. */
  readonly log: Logger;
  readonly now: () => Date;
  readonly metrics: CommandMetrics;
}
