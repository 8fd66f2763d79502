import { createUpcasterChain } from '../upcasting.ts';
import type { TransferEventType } from './events.ts';

/** Every transfer event is still at its first shape; a change adds a step here, as for accounts. */
export const transferUpcasters = createUpcasterChain<TransferEventType>(
  { TransferRequested: 1, TransferRejected: 1, TransferDebited: 1, TransferCompleted: 1, TransferCreditRefused: 1, TransferFailed: 1 },
  {},
);
