import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import type { AccountEvent } from './events.ts';
import { fold, initialState, stateRecordedBy } from './state.ts';
import type { AccountCommand } from './commands.ts';

const accountId = '6f1c2f43-8a55-4c61-9a62-2f4a3f0b7d10';

/** A valid history: opened, then deposits and withdrawals decided one by one, then (optionally) closed. */
function history(length: number, close: boolean): AccountEvent[] {
  const events: AccountEvent[] = [];
  let state = initialState;
  const run = (command: AccountCommand) => {
    const decision = decide(command, state);
    if (!decision.accepted) throw new Error(decision.error.type);
    events.push(...decision.events);
    state = fold(decision.events, state);
  };
  run({ type: 'OpenAccount', data: { accountId, holderName: 'Ada', currency: 'JPY' } });
  for (let index = 1; index < length; index += 1) {
    const amount = { minor: BigInt(1 + ((index * 7919) % 500)), currency: 'JPY' as const };
    const canWithdraw = state.status === 'open' && state.balance >= amount.minor;
    run({ type: canWithdraw && index % 3 === 0 ? 'WithdrawMoney' : 'DepositMoney', data: { accountId, amount } });
  }
  if (close && state.status === 'open' && state.balance > 0n) {
    run({ type: 'WithdrawMoney', data: { accountId, amount: { minor: state.balance, currency: 'JPY' } } });
  }
  if (close) run({ type: 'CloseAccount', data: { accountId } });
  return events;
}

describe('folding from the latest event that records the whole state', () => {
  it.each([
    ['an open account', false],
    ['a closed account', true],
  ])('gives the same state as folding from the start, for %s, from any such event', (_name, close) => {
    const events = history(40, close);
    const full = fold(events);
    events.forEach((event, index) => {
      const resumed = stateRecordedBy(event);
      if (resumed !== undefined) expect(fold(events.slice(index + 1), resumed)).toEqual(full);
    });
  });

  it('finds no whole state in AccountClosed, which does not carry the currency', () => {
    expect(stateRecordedBy({ type: 'AccountClosed', data: { accountId } })).toBeUndefined();
  });

  it('finds no whole state in a transfer refund, which a closed account takes too', () => {
    const eur = (minor: bigint) => ({ minor, currency: 'EUR' }) as const;
    const transfer = { transferId: 't', counterpartyAccountId: 'c', leg: 'refund' } as const;
    expect(stateRecordedBy({ type: 'MoneyDeposited', data: { accountId, amount: eur(5n), balanceAfter: eur(5n), transfer } })).toBeUndefined();
  });
});
