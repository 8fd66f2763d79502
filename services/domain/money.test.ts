import { describe, expect, it } from 'vitest';
import { formatMinor, isCurrencyCode, parseAmount, parseStoredMinor } from './money.ts';

describe('parseAmount', () => {
  it.each([
    ['1250.40', 'EUR', 125040n],
    ['1250.4', 'EUR', 125040n],
    ['0.01', 'EUR', 1n],
    ['7', 'EUR', 700n],
    ['1500', 'JPY', 1500n],
    ['1500.000', 'JPY', 1500n],
    ['1.234', 'KWD', 1234n],
    ['1000000000', 'EUR', 100000000000n],
  ] as const)('reads %s %s as %s minor units', (text, currency, minor) => {
    expect(parseAmount(text, currency)).toEqual({ ok: true, money: { minor, currency } });
  });

  it.each([
    ['0.001', 'EUR', 'too-precise'],
    ['1.5', 'JPY', 'too-precise'],
    ['1.2345', 'KWD', 'too-precise'],
    ['0', 'EUR', 'not-positive'],
    ['0.00', 'EUR', 'not-positive'],
    ['-5', 'EUR', 'not-positive'],
    ['1000000000.01', 'EUR', 'too-large'],
    ['1e3', 'EUR', 'malformed'],
    ['12,50', 'EUR', 'malformed'],
    ['', 'EUR', 'malformed'],
    [' 1', 'EUR', 'malformed'],
    ['.5', 'EUR', 'malformed'],
    ['NaN', 'EUR', 'malformed'],
    ['1'.repeat(31), 'EUR', 'malformed'],
  ] as const)('refuses %s %s as %s', (text, currency, kind) => {
    expect(parseAmount(text, currency)).toMatchObject({ ok: false, problem: { kind } });
  });
});

describe('formatMinor', () => {
  it.each([
    [125040n, 'EUR', '1250.40'],
    [1n, 'EUR', '0.01'],
    [0n, 'EUR', '0.00'],
    [-5n, 'EUR', '-0.05'],
    [1500n, 'JPY', '1500'],
    [1n, 'KWD', '0.001'],
  ] as const)('writes %s %s as %s, which reads back to the same minor units', (minor, currency, text) => {
    expect(formatMinor(minor, currency)).toBe(text);
    expect(parseStoredMinor(text, currency)).toBe(minor);
  });

  it('never loses precision on amounts beyond what a float can hold', () => {
    const huge = 12345678901234567891n;
    expect(parseStoredMinor(formatMinor(huge, 'EUR'), 'EUR')).toBe(huge);
  });
});

describe('currencies', () => {
  it('knows ISO 4217 codes and refuses others, including inherited object keys', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('XXX')).toBe(false);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('toString')).toBe(false);
  });
});

describe('parseStoredMinor', () => {
  it('refuses a stored amount with the wrong number of decimals for its currency', () => {
    expect(() => parseStoredMinor('1.5', 'EUR')).toThrow(/EUR/);
  });
});
