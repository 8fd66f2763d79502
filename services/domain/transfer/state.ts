import type { Money } from '../money.ts';
import type { TransferEvent, TransferRefusal } from './events.ts';

export type TransferStatus = 'none' | 'requested' | 'rejected' | 'debited' | 'completed' | 'credit-refused' | 'failed';

export interface RequestedTransfer {
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly amount: Money;
}

export type TransferState =
  | { readonly status: 'none' }
  | (RequestedTransfer & { readonly status: 'requested' | 'debited' | 'completed' })
  | (RequestedTransfer & { readonly status: 'rejected' | 'credit-refused' | 'failed'; readonly refusal: TransferRefusal });

export const initialTransferState: TransferState = { status: 'none' };

/** A transfer in one of these has moved all the money it will ever move. */
export const finalTransferStatuses: readonly TransferStatus[] = ['rejected', 'completed', 'failed'];

/** Applies one event. Events are facts already accepted, so evolve never refuses one. */
export function evolveTransfer(state: TransferState, event: TransferEvent): TransferState {
  if (event.type === 'TransferRequested') return { status: 'requested', ...event.data };
  if (state.status === 'none') return state;
  const { transferId, fromAccountId, toAccountId, amount } = state;
  const transfer = { transferId, fromAccountId, toAccountId, amount };
  switch (event.type) {
    case 'TransferRejected':
      return { ...transfer, status: 'rejected', refusal: { code: event.data.code, reason: event.data.reason } };
    case 'TransferDebited':
      return { ...transfer, status: 'debited' };
    case 'TransferCompleted':
      return { ...transfer, status: 'completed' };
    case 'TransferCreditRefused':
      return { ...transfer, status: 'credit-refused', refusal: { code: event.data.code, reason: event.data.reason } };
    case 'TransferFailed':
      return { ...transfer, status: 'failed', refusal: { code: event.data.code, reason: event.data.reason } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function foldTransfer(events: Iterable<TransferEvent>, from: TransferState = initialTransferState): TransferState {
  let state = from;
  for (const event of events) state = evolveTransfer(state, event);
  return state;
}
