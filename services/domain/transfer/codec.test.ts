import { describe, expect, it } from 'vitest';
import { decodeTransferEvent, encodeTransferEvent } from './codec.ts';
import type { TransferEvent } from './events.ts';

const transferId = '3d6f0c55-1b7e-4c8a-9f21-7a4b2c9d0e11';
const fromAccountId = 'a0000000-0000-4000-8000-000000000001';
const toAccountId = 'a0000000-0000-4000-8000-000000000002';
const amount = { minor: 1_234n, currency: 'KWD' } as const;
const refusal = { code: 'CurrencyMismatch', reason: 'Account is in EUR, not KWD' };
const events: TransferEvent[] = [
  { type: 'TransferRequested', data: { transferId, fromAccountId, toAccountId, amount } },
  { type: 'TransferRejected', data: { transferId, ...refusal } },
  { type: 'TransferDebited', data: { transferId, fromAccountId, amount } },
  { type: 'TransferCompleted', data: { transferId, toAccountId, amount } },
  { type: 'TransferCreditRefused', data: { transferId, ...refusal } },
  { type: 'TransferFailed', data: { transferId, fromAccountId, amount, ...refusal } },
];

describe('transfer event codec', () => {
  it.each(events)('stores $type as JSON and reads it back unchanged', (event) => {
    const stored = encodeTransferEvent(event);
    const json = JSON.parse(JSON.stringify(stored.data));
    expect(decodeTransferEvent(stored.type, stored.schemaVersion, json)).toEqual(event);
  });

  it('stores amounts as decimal strings with their currency', () => {
    expect(encodeTransferEvent(events[0]!).data).toEqual({ transferId, fromAccountId, toAccountId, amount: '1.234', currency: 'KWD' });
  });

  it('refuses stored data that does not have the shape of its type', () => {
    expect(() => decodeTransferEvent('TransferDebited', 1, { transferId, amount: 12.5, currency: 'EUR' })).toThrow();
  });
});
