import { describe, it } from 'vitest';
import { maxAmountMinor, type Money } from '../money.ts';
import type { TransferCommand } from './commands.ts';
import type { TransferEvent } from './events.ts';
import { given } from './given-when-then.ts';

const transferId = '3d6f0c55-1b7e-4c8a-9f21-7a4b2c9d0e11';
const fromAccountId = 'a0000000-0000-4000-8000-000000000001';
const toAccountId = 'a0000000-0000-4000-8000-000000000002';
const eur = (minor: bigint): Money => ({ minor, currency: 'EUR' });
const amount = eur(2_500n);
const refusal = { code: 'AccountClosed', reason: `Account ${toAccountId} is closed` };

const request = (overrides: Partial<{ fromAccountId: string; toAccountId: string; amount: Money }> = {}): TransferCommand => ({
  type: 'RequestTransfer',
  data: { transferId, fromAccountId, toAccountId, amount, ...overrides },
});
const requested: TransferEvent = { type: 'TransferRequested', data: { transferId, fromAccountId, toAccountId, amount } };
const debited: TransferEvent = { type: 'TransferDebited', data: { transferId, fromAccountId, amount } };
const completed: TransferEvent = { type: 'TransferCompleted', data: { transferId, toAccountId, amount } };
const rejected: TransferEvent = { type: 'TransferRejected', data: { transferId, code: 'InsufficientFunds', reason: 'not enough' } };
const creditRefused: TransferEvent = { type: 'TransferCreditRefused', data: { transferId, ...refusal } };
const failed: TransferEvent = { type: 'TransferFailed', data: { transferId, fromAccountId, amount, ...refusal } };

describe('RequestTransfer', () => {
  it('requests a transfer that does not exist yet', () => {
    given().when(request()).then(requested);
  });
  it('refuses to request the same transfer twice', () => {
    given(requested).when(request()).thenRejects({ type: 'TransferAlreadyRequested', transferId });
  });
  it('refuses a transfer from an account to itself', () => {
    given().when(request({ toAccountId: fromAccountId })).thenRejects({ type: 'SameAccount', accountId: fromAccountId });
  });
  it('applies the amount rules of deposits: positive, at most the maximum', () => {
    given().when(request({ amount: eur(0n) })).thenRejects({ type: 'InvalidAmount', problem: { kind: 'not-positive' } });
    given().when(request({ amount: eur(maxAmountMinor('EUR') + 1n) })).thenRejects({ type: 'InvalidAmount', problem: { kind: 'too-large', max: '1000000000.00' } });
    given().when(request({ amount: eur(1n) })).then({ ...requested, data: { ...requested.data, amount: eur(1n) } } as TransferEvent);
  });
});

describe('the happy path', () => {
  it('records the debit of a requested transfer', () => {
    given(requested).when({ type: 'RecordDebit', data: { transferId } }).then(debited);
  });
  it('completes a debited transfer once the credit is recorded', () => {
    given(requested, debited).when({ type: 'RecordCredit', data: { transferId } }).then(completed);
  });
});

describe('refusals and compensation', () => {
  it('rejects a requested transfer whose debit was refused', () => {
    given(requested).when({ type: 'RejectTransfer', data: rejected.data }).then(rejected);
  });
  it('records a refused credit of a debited transfer', () => {
    given(requested, debited).when({ type: 'RecordCreditRefusal', data: { transferId, ...refusal } }).then(creditRefused);
  });
  it('fails the transfer with the credit refusal as reason once the source is refunded', () => {
    given(requested, debited, creditRefused).when({ type: 'RecordRefund', data: { transferId } }).then(failed);
  });
});

describe('steps out of order', () => {
  it.each<[string, TransferEvent[], TransferCommand]>([
    ['a debit of an unknown transfer', [], { type: 'RecordDebit', data: { transferId } }],
    ['a credit before the debit', [requested], { type: 'RecordCredit', data: { transferId } }],
    ['a second debit', [requested, debited], { type: 'RecordDebit', data: { transferId } }],
    ['a rejection after the debit', [requested, debited], { type: 'RejectTransfer', data: rejected.data }],
    ['a refund without a refused credit', [requested, debited], { type: 'RecordRefund', data: { transferId } }],
    ['a credit of a completed transfer', [requested, debited, completed], { type: 'RecordCredit', data: { transferId } }],
    ['a second refund', [requested, debited, creditRefused, failed], { type: 'RecordRefund', data: { transferId } }],
  ])('refuses %s', (_name, history, command) => {
    given(...history).when(command).thenRejects({ type: 'TransferStepOutOfOrder', transferId, step: command.type });
  });
});
