import type { Logger } from '../platform/index.ts';
import type { AccountCommandHandler } from './command-handler.ts';
import type { CommandMetrics } from './metrics.ts';
import type { TransferCommandHandler } from './transfer-command-handler.ts';

/** What every resolver gets: the handler, and who is asking in which request. */
export interface CommandApiContext {
  readonly handler: AccountCommandHandler;
  readonly transfers: TransferCommandHandler;
  readonly correlationId: string;
  readonly actor: string;
  readonly log: Logger;
  readonly now: () => Date;
  readonly metrics: CommandMetrics;
}
