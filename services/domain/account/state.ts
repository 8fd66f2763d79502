import type { CurrencyCode } from '../money.ts';
import type { AccountEvent } from './events.ts';

export interface ExistingAccount {
  readonly accountId: string;
  readonly currency: CurrencyCode;
  readonly balance: bigint;
}

export type OpenAccountState = ExistingAccount & { readonly status: 'open' };

export type AccountState =
  | { readonly status: 'unopened' }
  | OpenAccountState
  | (ExistingAccount & { readonly status: 'closed' });

export const initialState: AccountState = { status: 'unopened' };

/** Applies one event. Events are facts already accepted, so evolve never refuses one. */
export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountOpened':
      return { status: 'open', accountId: event.data.accountId, currency: event.data.currency, balance: 0n };
    case 'MoneyDeposited':
    case 'MoneyWithdrawn':
      // balanceAfter is the fact the event records; taking it keeps every consumer agreeing on the balance.
      return state.status === 'unopened' ? state : { ...state, balance: event.data.balanceAfter.minor };
    case 'AccountClosed':
      return state.status === 'unopened' ? state : { ...state, status: 'closed' };
    case 'HolderForgotten':
      // The state holds no personal data: nothing to erase here.
      return state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function fold(events: Iterable<AccountEvent>, from: AccountState = initialState): AccountState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}

/**
 * The whole state right after `event`, when the event alone records it; undefined when it does not.
 * Money events carry the balance, currency and account they leave (and only an open account takes
 * them), so a long stream can be folded from its latest such event instead of from its start.
 * A new event type must decide here whether it records the whole state.
 */
export function stateRecordedBy(event: AccountEvent): AccountState | undefined {
  switch (event.type) {
    case 'AccountOpened':
      return evolve(initialState, event);
    case 'MoneyDeposited':
    case 'MoneyWithdrawn': {
      // A refund may land in an account closed meanwhile (see decide), so it does not say "open".
      if (event.data.transfer?.leg === 'refund') return undefined;
      const { accountId, balanceAfter } = event.data;
      return { status: 'open', accountId, currency: balanceAfter.currency, balance: balanceAfter.minor };
    }
    case 'AccountClosed':
    case 'HolderForgotten':
      return undefined;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
