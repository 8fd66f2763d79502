import type { Logger } from '../platform/index.ts';
import type { AccountCommandHandler } from './command-handler.ts';
import type { CommandMetrics } from './metrics.ts';

/** What every resolver gets: the handler, and who is asking in which request. */
export interface CommandApiContext {
  readonly handler: AccountCommandHandler;
  readonly correlationId: string;
  readonly actor: string;
  readonly log: Logger;
  readonly now: () => Date;
  readonly metrics: CommandMetrics;
}
