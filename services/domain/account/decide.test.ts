import { describe, it } from 'vitest';
import { maxAmountMinor, type CurrencyCode, type Money } from '../money.ts';
import { MAX_HOLDER_NAME_LENGTH } from './decide.ts';
import type { AccountEvent } from './events.ts';
import { given } from './given-when-then.ts';

const accountId = '6f1c2f43-8a55-4c61-9a62-2f4a3f0b7d10';
const eur = (minor: bigint): Money => ({ minor, currency: 'EUR' });
const opened = (currency: CurrencyCode = 'EUR'): AccountEvent => ({
  type: 'AccountOpened',
  data: { accountId, holderName: 'Ada Lovelace', currency },
});
const deposited = (amount: bigint, balanceAfter: bigint): AccountEvent => ({
  type: 'MoneyDeposited',
  data: { accountId, amount: eur(amount), balanceAfter: eur(balanceAfter) },
});
const withdrawn = (amount: bigint, balanceAfter: bigint): AccountEvent => ({
  type: 'MoneyWithdrawn',
  data: { accountId, amount: eur(amount), balanceAfter: eur(balanceAfter) },
});
const closed: AccountEvent = { type: 'AccountClosed', data: { accountId } };
const deposit = (amount: Money) => ({ type: 'DepositMoney', data: { accountId, amount } }) as const;
const withdraw = (amount: Money) => ({ type: 'WithdrawMoney', data: { accountId, amount } }) as const;
const close = { type: 'CloseAccount', data: { accountId } } as const;
const open = (holderName: string, currency: CurrencyCode = 'EUR') =>
  ({ type: 'OpenAccount', data: { accountId, holderName, currency } }) as const;

describe('OpenAccount', () => {
  it('opens an account that does not exist yet', () => {
    given().when(open('Ada Lovelace')).then(opened());
  });
  it('trims the holder name', () => {
    given().when(open('  Ada Lovelace \n')).then(opened());
  });
  it('refuses to open an account twice', () => {
    given(opened()).when(open('Ada Lovelace')).thenRejects({ type: 'AccountAlreadyExists', accountId });
  });
  it('refuses to reopen a closed account', () => {
    given(opened(), closed).when(open('Ada Lovelace')).thenRejects({ type: 'AccountAlreadyExists' });
  });
  it('refuses a blank holder name', () => {
    given().when(open('   ')).thenRejects({ type: 'InvalidHolderName' });
  });
  it('accepts a holder name of exactly the maximum length and refuses one character more', () => {
    const longest = 'x'.repeat(MAX_HOLDER_NAME_LENGTH);
    given().when(open(longest)).then({ type: 'AccountOpened', data: { accountId, holderName: longest, currency: 'EUR' } });
    given().when(open(`${longest}x`)).thenRejects({ type: 'InvalidHolderName' });
  });
});

describe('DepositMoney', () => {
  it('adds to the balance and records the balance after', () => {
    given(opened(), deposited(500n, 500n)).when(deposit(eur(250n))).then(deposited(250n, 750n));
  });
  it('refuses an account that was never opened', () => {
    given().when(deposit(eur(100n))).thenRejects({ type: 'AccountNotFound', accountId });
  });
  it('refuses a closed account', () => {
    given(opened(), closed).when(deposit(eur(100n))).thenRejects({ type: 'AccountClosed', accountId });
  });
  it('refuses another currency than the account’s', () => {
    given(opened())
      .when(deposit({ minor: 100n, currency: 'USD' }))
      .thenRejects({ type: 'CurrencyMismatch', accountCurrency: 'EUR', requestedCurrency: 'USD' });
  });
  it('refuses zero and negative amounts', () => {
    given(opened()).when(deposit(eur(0n))).thenRejects({ type: 'InvalidAmount', problem: { kind: 'not-positive' } });
    given(opened()).when(deposit(eur(-1n))).thenRejects({ type: 'InvalidAmount', problem: { kind: 'not-positive' } });
  });
  it('accepts the maximum amount and refuses one minor unit more', () => {
    const max = maxAmountMinor('EUR');
    given(opened()).when(deposit(eur(max))).then(deposited(max, max));
    given(opened()).when(deposit(eur(max + 1n))).thenRejects({ type: 'InvalidAmount', problem: { kind: 'too-large', max: '1000000000.00' } });
  });
  it('accepts one minor unit', () => {
    given(opened()).when(deposit(eur(1n))).then(deposited(1n, 1n));
  });
});

describe('WithdrawMoney', () => {
  it('takes from the balance and records the balance after', () => {
    given(opened(), deposited(1000n, 1000n)).when(withdraw(eur(400n))).then(withdrawn(400n, 600n));
  });
  it('may take the balance to exactly zero', () => {
    given(opened(), deposited(1000n, 1000n)).when(withdraw(eur(1000n))).then(withdrawn(1000n, 0n));
  });
  it('refuses one minor unit more than the balance and reports what is available', () => {
    given(opened(), deposited(1000n, 1000n))
      .when(withdraw(eur(1001n)))
      .thenRejects({ type: 'InsufficientFunds', available: eur(1000n), requested: eur(1001n) });
  });
  it('refuses any withdrawal from an empty account', () => {
    given(opened()).when(withdraw(eur(1n))).thenRejects({ type: 'InsufficientFunds', available: eur(0n) });
  });
  it('sees the balance left by earlier withdrawals', () => {
    given(opened(), deposited(1000n, 1000n), withdrawn(999n, 1n))
      .when(withdraw(eur(2n)))
      .thenRejects({ type: 'InsufficientFunds', available: eur(1n) });
  });
  it('refuses an account that was never opened', () => {
    given().when(withdraw(eur(1n))).thenRejects({ type: 'AccountNotFound' });
  });
  it('refuses a closed account', () => {
    given(opened(), closed).when(withdraw(eur(1n))).thenRejects({ type: 'AccountClosed' });
  });
  it('refuses another currency, even when the balance would cover the amount', () => {
    given(opened(), deposited(1000n, 1000n))
      .when(withdraw({ minor: 1n, currency: 'JPY' }))
      .thenRejects({ type: 'CurrencyMismatch', accountCurrency: 'EUR', requestedCurrency: 'JPY' });
  });
  it('refuses a non-positive amount', () => {
    given(opened(), deposited(1000n, 1000n)).when(withdraw(eur(0n))).thenRejects({ type: 'InvalidAmount' });
  });
});

describe('CloseAccount', () => {
  it('closes an account whose balance is zero', () => {
    given(opened()).when(close).then(closed);
    given(opened(), deposited(10n, 10n), withdrawn(10n, 0n)).when(close).then(closed);
  });
  it('refuses while money is left, reporting the balance', () => {
    given(opened(), deposited(1n, 1n)).when(close).thenRejects({ type: 'BalanceNotZero', balance: eur(1n) });
  });
  it('refuses an account that was never opened', () => {
    given().when(close).thenRejects({ type: 'AccountNotFound' });
  });
  it('refuses an account that is already closed', () => {
    given(opened(), closed).when(close).thenRejects({ type: 'AccountClosed' });
  });
});

describe('ForgetHolder', () => {
  const forget = { type: 'ForgetHolder', data: { accountId } } as const;
  const forgotten: AccountEvent = { type: 'HolderForgotten', data: { accountId } };

  it('records HolderForgotten for an open account', () => {
    given(opened()).when(forget).then(forgotten);
  });

  it('records it for a closed account too: former customers may be forgotten', () => {
    given(opened(), closed).when(forget).then(forgotten);
  });

  it('refuses an account that was never opened', () => {
    given().when(forget).thenRejects({ type: 'AccountNotFound', accountId });
  });
});

describe('transfer legs', () => {
  const link = (leg: 'debit' | 'credit' | 'refund') => ({ transferId: '3d6f0c55-1b7e-4c8a-9f21-7a4b2c9d0e11', counterpartyAccountId: 'a0000000-0000-4000-8000-000000000002', leg });
  it('records the transfer a withdrawal or deposit was a leg of', () => {
    given(opened(), deposited(1000n, 1000n))
      .when({ type: 'WithdrawMoney', data: { accountId, amount: eur(400n), transfer: link('debit') } })
      .then({ type: 'MoneyWithdrawn', data: { accountId, amount: eur(400n), balanceAfter: eur(600n), transfer: link('debit') } });
  });
  it('refuses a transfer credit into a closed account like any deposit', () => {
    given(opened(), closed).when({ type: 'DepositMoney', data: { accountId, amount: eur(1n), transfer: link('credit') } }).thenRejects({ type: 'AccountClosed' });
  });
  it('takes a refund even into an account closed meanwhile, so no money is lost', () => {
    given(opened(), closed)
      .when({ type: 'DepositMoney', data: { accountId, amount: eur(5n), transfer: link('refund') } })
      .then({ type: 'MoneyDeposited', data: { accountId, amount: eur(5n), balanceAfter: eur(5n), transfer: link('refund') } });
  });
});
