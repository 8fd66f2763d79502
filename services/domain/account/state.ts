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
