import type { AmountProblem, CurrencyCode } from '../money.ts';
import type { TransferStatus } from './state.ts';

/** Why a transfer refused a command. */
export type TransferError =
  | { readonly type: 'TransferAlreadyRequested'; readonly transferId: string }
  | { readonly type: 'SameAccount'; readonly accountId: string }
  | { readonly type: 'InvalidAmount'; readonly currency: CurrencyCode; readonly problem: AmountProblem }
  /** A step that does not follow from where the transfer stands (a bug or a stale view: re-read). */
  | { readonly type: 'TransferStepOutOfOrder'; readonly transferId: string; readonly status: TransferStatus; readonly step: string };

export type TransferErrorType = TransferError['type'];
