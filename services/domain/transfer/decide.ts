import { checkAmount } from '../money.ts';
import type { TransferCommand } from './commands.ts';
import type { TransferError } from './errors.ts';
import type { TransferEvent } from './events.ts';
import type { TransferState, TransferStatus } from './state.ts';

export type TransferDecision =
  | { readonly accepted: true; readonly events: readonly TransferEvent[] }
  | { readonly accepted: false; readonly error: TransferError };

const accept = (...events: TransferEvent[]): TransferDecision => ({ accepted: true, events });
const reject = (error: TransferError): TransferDecision => ({ accepted: false, error });

/** Decides what a transfer command does in the transfer's current state. Pure: no clock, no I/O. */
export function decideTransfer(command: TransferCommand, state: TransferState): TransferDecision {
  const transferId = command.data.transferId;
  if (command.type === 'RequestTransfer') {
    if (state.status !== 'none') return reject({ type: 'TransferAlreadyRequested', transferId });
    const { fromAccountId, toAccountId, amount } = command.data;
    if (fromAccountId === toAccountId) return reject({ type: 'SameAccount', accountId: fromAccountId });
    const checked = checkAmount(amount);
    if (!checked.ok) return reject({ type: 'InvalidAmount', currency: amount.currency, problem: checked.problem });
    return accept({ type: 'TransferRequested', data: { transferId, fromAccountId, toAccountId, amount: checked.money } });
  }
  const outOfOrder = (): TransferDecision => reject({ type: 'TransferStepOutOfOrder', transferId, status: state.status, step: command.type });
  if (state.status === 'none') return outOfOrder();
  const when = (status: TransferStatus, event: TransferEvent): TransferDecision => (state.status === status ? accept(event) : outOfOrder());
  const { fromAccountId, toAccountId, amount } = state;
  switch (command.type) {
    case 'RejectTransfer':
      return when('requested', { type: 'TransferRejected', data: command.data });
    case 'RecordDebit':
      return when('requested', { type: 'TransferDebited', data: { transferId, fromAccountId, amount } });
    case 'RecordCredit':
      return when('debited', { type: 'TransferCompleted', data: { transferId, toAccountId, amount } });
    case 'RecordCreditRefusal':
      return when('debited', { type: 'TransferCreditRefused', data: command.data });
    case 'RecordRefund':
      if (state.status !== 'credit-refused') return outOfOrder();
      return accept({ type: 'TransferFailed', data: { transferId, fromAccountId, amount, ...state.refusal } });
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}
