/**
 * Money as integer minor units. A float never touches an amount: the wire carries decimal strings
 * ("1250.40"), code carries bigint minor units, and each currency's exponent says where the point goes.
 */

/** ISO 4217 minor-unit exponents of the currencies the ledger accepts. */
const exponents = {
  AUD: 2, BHD: 3, CAD: 2, CHF: 2, CNY: 2, CZK: 2, DKK: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2, INR: 2,
  ISK: 0, JOD: 3, JPY: 0, KRW: 0, KWD: 3, MXN: 2, NOK: 2, NZD: 2, OMR: 3, PLN: 2, SEK: 2, SGD: 2,
  TND: 3, USD: 2, ZAR: 2,
} as const;

export type CurrencyCode = keyof typeof exponents;

export const currencyCodes = Object.keys(exponents).sort() as CurrencyCode[];

export interface Money {
  readonly minor: bigint;
  readonly currency: CurrencyCode;
}

/** Largest amount one command may move, in major units: a typo guard, not a business limit. */
export const MAX_AMOUNT_MAJOR_UNITS = 1_000_000_000n;

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(exponents, code);
}

export function exponentOf(currency: CurrencyCode): number {
  return exponents[currency];
}

export function maxAmountMinor(currency: CurrencyCode): bigint {
  return MAX_AMOUNT_MAJOR_UNITS * 10n ** BigInt(exponentOf(currency));
}

export type AmountProblem =
  | { readonly kind: 'malformed' }
  | { readonly kind: 'too-precise'; readonly maxDecimals: number }
  | { readonly kind: 'not-positive' }
  | { readonly kind: 'too-large'; readonly max: string };

export type ParsedAmount = { readonly ok: true; readonly money: Money } | { readonly ok: false; readonly problem: AmountProblem };

const decimalPattern = /^-?(\d{1,30})(?:\.(\d{1,30}))?$/;

/** Parses a decimal string ("12.5", "0.01", "100") into a positive amount no finer than the currency allows. */
export function parseAmount(text: string, currency: CurrencyCode): ParsedAmount {
  const match = decimalPattern.exec(text);
  if (match === null) return { ok: false, problem: { kind: 'malformed' } };
  const exponent = exponentOf(currency);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return { ok: false, problem: { kind: 'too-precise', maxDecimals: exponent } };
  const minor = BigInt(whole + fraction.padEnd(exponent, '0')) * (text.startsWith('-') ? -1n : 1n);
  return checkAmount({ minor, currency });
}

/** The invariants every moved amount obeys, whether it came from the wire or from code. */
export function checkAmount(money: Money): ParsedAmount {
  if (money.minor <= 0n) return { ok: false, problem: { kind: 'not-positive' } };
  const max = maxAmountMinor(money.currency);
  if (money.minor > max) return { ok: false, problem: { kind: 'too-large', max: formatMinor(max, money.currency) } };
  return { ok: true, money };
}

/** Formats minor units as a decimal string with exactly the currency's number of decimals. */
export function formatMinor(minor: bigint, currency: CurrencyCode): string {
  const exponent = exponentOf(currency);
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export function formatMoney(money: Money): string {
  return formatMinor(money.minor, money.currency);
}

/** Parses a stored, already-validated decimal string (which may be zero), e.g. a balance in an event. */
export function parseStoredMinor(text: string, currency: CurrencyCode): bigint {
  const match = decimalPattern.exec(text);
  const exponent = exponentOf(currency);
  if (match === null || (match[2] ?? '').length !== exponent) {
    throw new Error(`stored amount '${text}' is not a ${currency} decimal with ${exponent} decimals`);
  }
  return BigInt(text.replace('.', ''));
}

export function describeAmountProblem(problem: AmountProblem, currency: CurrencyCode): string {
  switch (problem.kind) {
    case 'malformed':
      return 'Amount must be a decimal number such as "12.50"';
    case 'too-precise':
      return `${currency} amounts have at most ${problem.maxDecimals} decimal places`;
    case 'not-positive':
      return 'Amount must be greater than zero';
    case 'too-large':
      return `Amount must be at most ${problem.max} ${currency}`;
    default: {
      const _exhaustive: never = problem;
      return _exhaustive;
    }
  }
}
