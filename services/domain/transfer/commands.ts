import type { Money } from '../money.ts';
import type { TransferRefusal } from './events.ts';

/** What the client (RequestTransfer) and the process manager (every other step) ask of a transfer. */
export type TransferCommand =
  | {
      readonly type: 'RequestTransfer';
      readonly data: { readonly transferId: string; readonly fromAccountId: string; readonly toAccountId: string; readonly amount: Money };
    }
  | { readonly type: 'RejectTransfer'; readonly data: { readonly transferId: string } & TransferRefusal }
  | { readonly type: 'RecordDebit'; readonly data: { readonly transferId: string } }
  | { readonly type: 'RecordCredit'; readonly data: { readonly transferId: string } }
  | { readonly type: 'RecordCreditRefusal'; readonly data: { readonly transferId: string } & TransferRefusal }
  | { readonly type: 'RecordRefund'; readonly data: { readonly transferId: string } };

export type TransferCommandType = TransferCommand['type'];
