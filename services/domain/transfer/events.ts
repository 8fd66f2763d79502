import type { Money } from '../money.ts';

/** Why a step of a transfer was refused, as the account put it: the account error's type and its message. */
export interface TransferRefusal {
  readonly code: string;
  readonly reason: string;
}

/**
 * Events of the transfer aggregate: the saga's state. A transfer is requested, then either rejected
 * (the source refused the debit) or debited; a debited transfer is either completed (the destination
 * took the credit) or refused by the destination, and then failed once the source got its money back.
 */
export type TransferEvent =
  | {
      readonly type: 'TransferRequested';
      readonly data: { readonly transferId: string; readonly fromAccountId: string; readonly toAccountId: string; readonly amount: Money };
    }
  | { readonly type: 'TransferRejected'; readonly data: { readonly transferId: string } & TransferRefusal }
  | { readonly type: 'TransferDebited'; readonly data: { readonly transferId: string; readonly fromAccountId: string; readonly amount: Money } }
  | { readonly type: 'TransferCompleted'; readonly data: { readonly transferId: string; readonly toAccountId: string; readonly amount: Money } }
  | { readonly type: 'TransferCreditRefused'; readonly data: { readonly transferId: string } & TransferRefusal }
  | {
      readonly type: 'TransferFailed';
      readonly data: { readonly transferId: string; readonly fromAccountId: string; readonly amount: Money } & TransferRefusal;
    };

export type TransferEventType = TransferEvent['type'];

export const transferEventTypes: readonly TransferEventType[] = [
  'TransferRequested',
  'TransferRejected',
  'TransferDebited',
  'TransferCompleted',
  'TransferCreditRefused',
  'TransferFailed',
];

export const transferStreamPrefix = 'transfer-';

export function transferStreamName(transferId: string): string {
  return `${transferStreamPrefix}${transferId}`;
}

/** Which leg of a transfer an account movement is: the link account events carry to their transfer. */
export interface TransferLink {
  readonly transferId: string;
  readonly counterpartyAccountId: string;
  readonly leg: 'debit' | 'credit' | 'refund';
}
