import { describe, expect, it } from 'vitest';
import { ERASED, type SealedText } from '../personal-data.ts';
import { UnknownSchemaVersionError } from '../upcasting.ts';
import { decodeAccountEvent, encodeAccountEvent } from './codec.ts';
import type { AccountEvent } from './events.ts';

const accountId = 'a1d3c7a8-6a43-4a8e-9a38-6c1d6c1e8f00';
const events: AccountEvent[] = [
  { type: 'AccountOpened', data: { accountId, holderName: 'Grace Hopper', currency: 'JPY' } },
  {
    type: 'MoneyDeposited',
    data: { accountId, amount: { minor: 1500n, currency: 'JPY' }, balanceAfter: { minor: 1500n, currency: 'JPY' } },
  },
  {
    type: 'MoneyWithdrawn',
    data: { accountId, amount: { minor: 1500n, currency: 'JPY' }, balanceAfter: { minor: 0n, currency: 'JPY' } },
  },
  { type: 'AccountClosed', data: { accountId } },
  { type: 'HolderForgotten', data: { accountId } },
];

// A stand-in cipher: the domain only passes sealed values through; the real one is tested in platform.
const sealedOf = (plaintext: string): SealedText => ({ alg: 'A256GCM', iv: 'aXY=', ct: Buffer.from(plaintext).toString('base64'), tag: 'dGFn' });
const openSealed = (sealed: SealedText) => Buffer.from(sealed.ct, 'base64').toString();

describe('account event codec', () => {
  it.each(events)('stores $type as JSON and reads it back unchanged', (event) => {
    const stored = encodeAccountEvent(event);
    const json = JSON.parse(JSON.stringify(stored.data));
    expect(decodeAccountEvent(stored.type, stored.schemaVersion, json)).toEqual(event);
  });

  it('stores amounts as decimal strings in the account currency', () => {
    const stored = encodeAccountEvent({
      type: 'MoneyDeposited',
      data: { accountId, amount: { minor: 125040n, currency: 'EUR' }, balanceAfter: { minor: 125041n, currency: 'EUR' } },
    });
    expect(stored).toEqual({
      type: 'MoneyDeposited',
      schemaVersion: 1,
      data: { accountId, amount: '1250.40', balanceAfter: '1250.41', currency: 'EUR' },
    });
  });

  it('writes AccountOpened at schema version 3 with the currency exponent and the holder name sealed', () => {
    expect(encodeAccountEvent(events[0] as AccountEvent, sealedOf)).toEqual({
      type: 'AccountOpened',
      schemaVersion: 3,
      data: { accountId, holderName: sealedOf('Grace Hopper'), currency: 'JPY', minorUnits: 0 },
    });
  });

  it('reads a sealed holder name with its key, and as erased without one', () => {
    const stored = JSON.parse(JSON.stringify(encodeAccountEvent(events[0] as AccountEvent, sealedOf).data));
    expect(decodeAccountEvent('AccountOpened', 3, stored, openSealed)).toEqual(events[0]);
    expect(decodeAccountEvent('AccountOpened', 3, stored, () => undefined).data).toMatchObject({ holderName: ERASED });
    expect(decodeAccountEvent('AccountOpened', 3, stored).data).toMatchObject({ holderName: ERASED, currency: 'JPY' });
  });

  it('reads a v2 AccountOpened, whose holder name is plain text', () => {
    const v2 = { accountId, holderName: 'Grace Hopper', currency: 'JPY', minorUnits: 0 };
    expect(decodeAccountEvent('AccountOpened', 2, v2)).toEqual(events[0]);
  });

  it('reads a v1 AccountOpened (owner, no minorUnits) through the upcaster', () => {
    const v1 = { accountId, owner: 'Grace Hopper', currency: 'KWD' };
    expect(decodeAccountEvent('AccountOpened', 1, v1)).toEqual({
      type: 'AccountOpened',
      data: { accountId, holderName: 'Grace Hopper', currency: 'KWD' },
    });
  });

  it('refuses a schema version newer than this code knows, naming it', () => {
    expect(() => decodeAccountEvent('AccountOpened', 4, {})).toThrow(UnknownSchemaVersionError);
    expect(() => decodeAccountEvent('MoneyDeposited', 0, {})).toThrow(UnknownSchemaVersionError);
  });

  it('refuses stored data that does not have the shape of its type', () => {
    expect(() => decodeAccountEvent('MoneyDeposited', 1, { accountId, amount: 12.5, currency: 'EUR' })).toThrow();
  });
});

describe('account event codec with a transfer link', () => {
  it('stores and reads back the transfer a movement was a leg of', () => {
    const transfer = { transferId: 'c1', counterpartyAccountId: 'c2', leg: 'credit' } as const;
    const event: AccountEvent = {
      type: 'MoneyDeposited',
      data: { accountId, amount: { minor: 5n, currency: 'EUR' }, balanceAfter: { minor: 5n, currency: 'EUR' }, transfer },
    };
    const stored = encodeAccountEvent(event);
    expect(stored.data.transfer).toEqual(transfer);
    expect(decodeAccountEvent(stored.type, stored.schemaVersion, JSON.parse(JSON.stringify(stored.data)))).toEqual(event);
  });
});
