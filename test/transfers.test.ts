import { afterAll, describe, expect, it } from 'vitest';
import type { SagaStep, TransferProcessManager } from '../services/transfers/index.ts';
import { balanceOf, commands, finishedTransfer, legsOf, mutate, openedAccount, processManagerFactory, requestTransfer } from './transfers-support.ts';

const managers = processManagerFactory();
afterAll(() => managers.stopAll());

/** Starts the manager that takes the next transfers, set to die (as in a crash) right after `step` of the target transfer. */
async function startCrashingAfter(step: SagaStep, target: { transferId?: string }): Promise<void> {
  const victim: { manager?: TransferProcessManager } = {};
  victim.manager = await managers.start(async (transferId, done) => {
    if (transferId !== target.transferId || done !== step) return;
    await victim.manager!.kill();
    throw new Error(`simulated crash after ${step}`);
  });
}

describe('transfers', () => {
  it('moves the money: debit, credit, completed; both legs name the transfer and the counterparty', async () => {
    await managers.start();
    const [from, to] = [await openedAccount(commands, '100'), await openedAccount(commands)];
    const transferId = await requestTransfer(from, to, '30.25');
    const events = await finishedTransfer(transferId);
    expect(events.map((event) => event.type)).toEqual(['TransferRequested', 'TransferDebited', 'TransferCompleted']);
    expect([await balanceOf(from), await balanceOf(to)]).toEqual(['69.75', '30.25']);
    const [debit] = await legsOf(from, transferId);
    const [credit] = await legsOf(to, transferId);
    expect(debit).toMatchObject({ type: 'MoneyWithdrawn', data: { transfer: { transferId, counterpartyAccountId: to, leg: 'debit' } } });
    expect(credit).toMatchObject({ type: 'MoneyDeposited', data: { transfer: { transferId, counterpartyAccountId: from, leg: 'credit' } } });
    // The chain: request → TransferRequested → debit → TransferDebited → credit → TransferCompleted, all correlated by the transfer.
    const [requested, debited, completed] = events;
    expect(debit!.metadata).toMatchObject({ $correlationId: transferId, $causationId: requested!.id });
    expect(debited!.metadata).toMatchObject({ $correlationId: transferId, $causationId: debit!.id });
    expect(credit!.metadata).toMatchObject({ $correlationId: transferId, $causationId: debited!.id });
    expect(completed!.metadata).toMatchObject({ $correlationId: transferId, $causationId: credit!.id });
  });

  it('rejects a transfer the source cannot cover, moving nothing', async () => {
    const [from, to] = [await openedAccount(commands, '10'), await openedAccount(commands)];
    const transferId = await requestTransfer(from, to, '10.01');
    const events = await finishedTransfer(transferId);
    expect(events.map((event) => event.type)).toEqual(['TransferRequested', 'TransferRejected']);
    expect(events[1]!.data).toMatchObject({ code: 'InsufficientFunds', reason: expect.stringContaining('holds 10.00 EUR') });
    expect([await balanceOf(from), await balanceOf(to)]).toEqual(['10.00', '0.00']);
  });

  it('refunds the source and fails the transfer when the destination refuses the credit', async () => {
    const [from, eurTo, usdTo] = [await openedAccount(commands, '50'), await openedAccount(commands), await openedAccount(commands, undefined, 'USD')];
    const mismatch = await finishedTransfer(await requestTransfer(from, usdTo, '5'));
    expect(mismatch.map((event) => event.type)).toEqual(['TransferRequested', 'TransferDebited', 'TransferCreditRefused', 'TransferFailed']);
    expect(mismatch.at(-1)!.data).toMatchObject({ code: 'CurrencyMismatch' });
    const closed = await finishedTransfer(await requestTransfer(from, '00000000-0000-4000-8000-000000000000', '5'));
    expect(closed.at(-1)).toMatchObject({ type: 'TransferFailed', data: { code: 'AccountNotFound' } });
    expect([await balanceOf(from), await balanceOf(eurTo), await balanceOf(usdTo)]).toEqual(['50.00', '0.00', '0.00']);
  });
});

describe('a destination closed mid-flight', () => {
  it('is compensated: the source gets its money back and the transfer fails with the reason', async () => {
    const [from, to] = [await openedAccount(commands, '20'), await openedAccount(commands)];
    const target: { transferId?: string } = {};
    await managers.start(async (transferId, step) => {
      // Between the debit and the credit, the destination's holder closes it.
      if (transferId === target.transferId && step === 'record-debit') await mutate(commands, 'closeAccount', { accountId: to });
    });
    target.transferId = await requestTransfer(from, to, '20');
    const events = await finishedTransfer(target.transferId);
    expect(events.map((event) => event.type)).toEqual(['TransferRequested', 'TransferDebited', 'TransferCreditRefused', 'TransferFailed']);
    expect(events.at(-1)!.data).toMatchObject({ code: 'AccountClosed', reason: `Account ${to} is closed` });
    expect((await legsOf(from, target.transferId)).map((event) => [event.type, (event.data as { transfer: { leg: string } }).transfer.leg]))
      .toEqual([['MoneyWithdrawn', 'debit'], ['MoneyDeposited', 'refund']]);
    expect(await balanceOf(from)).toBe('20.00');
  });
});

describe('a process manager killed after any step, then restarted', () => {
  const happy: SagaStep[] = ['debit', 'record-debit', 'credit', 'record-credit'];
  it.each(happy)('completes the transfer exactly once when killed after %s', async (step) => {
    const [from, to] = [await openedAccount(commands, '100'), await openedAccount(commands)];
    const target: { transferId?: string } = {};
    await startCrashingAfter(step, target);
    target.transferId = await requestTransfer(from, to, '40');
    await managers.start();
    const events = await finishedTransfer(target.transferId);
    expect(events.map((event) => event.type)).toEqual(['TransferRequested', 'TransferDebited', 'TransferCompleted']);
    expect((await legsOf(from, target.transferId)).map((event) => event.type)).toEqual(['MoneyWithdrawn']);
    expect((await legsOf(to, target.transferId)).map((event) => event.type)).toEqual(['MoneyDeposited']);
    expect([await balanceOf(from), await balanceOf(to)]).toEqual(['60.00', '40.00']);
  });

  const compensating: SagaStep[] = ['debit', 'record-debit', 'record-credit-refusal', 'refund', 'record-refund'];
  it.each(compensating)('compensates exactly once when killed after %s', async (step) => {
    const [from, to] = [await openedAccount(commands, '100'), await openedAccount(commands, undefined, 'USD')];
    const target: { transferId?: string } = {};
    await startCrashingAfter(step, target);
    target.transferId = await requestTransfer(from, to, '40');
    await managers.start();
    const events = await finishedTransfer(target.transferId);
    expect(events.map((event) => event.type)).toEqual(['TransferRequested', 'TransferDebited', 'TransferCreditRefused', 'TransferFailed']);
    expect((await legsOf(from, target.transferId)).map((event) => event.type)).toEqual(['MoneyWithdrawn', 'MoneyDeposited']);
    expect(await legsOf(to, target.transferId)).toEqual([]);
    expect(await balanceOf(from)).toBe('100.00');
  });
});
