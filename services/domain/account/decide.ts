import { checkAmount, type Money } from '../money.ts';
import type { AccountCommand, MoneyMovement } from './commands.ts';
import type { AccountError } from './errors.ts';
import type { AccountEvent } from './events.ts';
import type { AccountState, ExistingAccount, OpenAccountState } from './state.ts';

export type Decision =
  | { readonly accepted: true; readonly events: readonly AccountEvent[] }
  | { readonly accepted: false; readonly error: AccountError };

const accept = (...events: AccountEvent[]): Decision => ({ accepted: true, events });
const reject = (error: AccountError): Decision => ({ accepted: false, error });

export const MAX_HOLDER_NAME_LENGTH = 200;

/** Decides what happens when a command meets the account's current state. Pure: no clock, no I/O. */
export function decide(command: AccountCommand, state: AccountState): Decision {
  switch (command.type) {
    case 'OpenAccount': {
      if (state.status !== 'unopened') return reject({ type: 'AccountAlreadyExists', accountId: command.data.accountId });
      const holderName = command.data.holderName.trim();
      if (holderName.length === 0) return reject({ type: 'InvalidHolderName', reason: 'Holder name must not be blank' });
      if (holderName.length > MAX_HOLDER_NAME_LENGTH) {
        return reject({ type: 'InvalidHolderName', reason: `Holder name is longer than ${MAX_HOLDER_NAME_LENGTH} characters` });
      }
      return accept({ type: 'AccountOpened', data: { ...command.data, holderName } });
    }
    case 'DepositMoney': {
      const deposit = (account: ExistingAccount): Decision =>
        withAmount(account, command.data.amount, (amount) => {
          const balanceAfter = { minor: account.balance + amount.minor, currency: account.currency };
          return accept({ type: 'MoneyDeposited', data: { accountId: account.accountId, amount, balanceAfter, ...linkOf(command.data) } });
        });
      // A refund gives back money a transfer took from this very account, so it must never be refused:
      // were the account closed meanwhile, refusing would lose the money. It then holds it while closed.
      if (state.status === 'closed' && command.data.transfer?.leg === 'refund') return deposit(state);
      return whenOpen(state, command.data.accountId, deposit);
    }
    case 'WithdrawMoney':
      return whenOpen(state, command.data.accountId, (open) =>
        withAmount(open, command.data.amount, (amount) => {
          if (amount.minor > open.balance) {
            const available = { minor: open.balance, currency: open.currency };
            return reject({ type: 'InsufficientFunds', accountId: open.accountId, available, requested: amount });
          }
          const balanceAfter = { minor: open.balance - amount.minor, currency: open.currency };
          return accept({ type: 'MoneyWithdrawn', data: { accountId: open.accountId, amount, balanceAfter, ...linkOf(command.data) } });
        }),
      );
    case 'CloseAccount':
      return whenOpen(state, command.data.accountId, (open) => {
        if (open.balance !== 0n) {
          return reject({ type: 'BalanceNotZero', accountId: open.accountId, balance: { minor: open.balance, currency: open.currency } });
        }
        return accept({ type: 'AccountClosed', data: { accountId: open.accountId } });
      });
    case 'ForgetHolder':
      // Open or closed: a former customer has the same right to be forgotten. Asking twice is recorded twice.
      if (state.status === 'unopened') return reject({ type: 'AccountNotFound', accountId: command.data.accountId });
      return accept({ type: 'HolderForgotten', data: { accountId: state.accountId } });
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function whenOpen(state: AccountState, accountId: string, then: (open: OpenAccountState) => Decision): Decision {
  switch (state.status) {
    case 'unopened':
      return reject({ type: 'AccountNotFound', accountId });
    case 'closed':
      return reject({ type: 'AccountClosed', accountId });
    case 'open':
      return then(state);
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

/** The transfer link, when the movement has one; absent otherwise (exactOptionalPropertyTypes). */
const linkOf = (movement: MoneyMovement) => (movement.transfer === undefined ? {} : { transfer: movement.transfer });

function withAmount(open: ExistingAccount, amount: Money, then: (amount: Money) => Decision): Decision {
  if (amount.currency !== open.currency) {
    return reject({
      type: 'CurrencyMismatch',
      accountId: open.accountId,
      accountCurrency: open.currency,
      requestedCurrency: amount.currency,
    });
  }
  const checked = checkAmount(amount);
  return checked.ok ? then(checked.money) : reject({ type: 'InvalidAmount', currency: amount.currency, problem: checked.problem });
}
