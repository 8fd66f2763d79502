import { exponentOf, formatMinor, type CurrencyCode } from '../../services/domain/index.ts';
import { nameBasedUuid } from '../../services/platform/index.ts';

export interface SeedOptions {
  readonly seed: number;
  readonly accounts: number;
  /** Deposits and withdrawals per account. */
  readonly transactions: number;
}

export type SeedCommand =
  | { readonly mutation: 'openAccount'; readonly input: { accountId: string; holderName: string; currency: CurrencyCode; commandId: string } }
  | {
      readonly mutation: 'depositMoney' | 'withdrawMoney';
      readonly input: { accountId: string; amount: string; currency: CurrencyCode; commandId: string; reason: string };
    };

export interface SeedAccount {
  readonly accountId: string;
  readonly holderName: string;
  readonly currency: CurrencyCode;
  /** Run in order: the open first, then the transactions. */
  readonly commands: readonly SeedCommand[];
  /** What the balance is once every command is accepted. */
  readonly finalBalance: string;
}

// Fixed, so the same --seed names the same accounts on every machine.
const SEED_NAMESPACE = '0b5c8f0e-5d1a-4f43-9c1e-7d0c2a9b6e11';
const currencies: readonly CurrencyCode[] = ['EUR', 'USD', 'JPY'];
const givenNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Tim', 'Radia', 'Ken', 'Frances', 'John'];
const familyNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Berners-Lee', 'Perlman', 'Thompson', 'Allen', 'Backus'];
const depositReasons = ['salary', 'refund', 'gift', 'interest', 'transfer in'];
const withdrawalReasons = ['groceries', 'rent', 'travel', 'books', 'utilities', 'dinner'];

/** mulberry32: a small, well-known PRNG; all that matters here is that one seed always gives one sequence. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The demo ledger for one seed: every id and commandId derives from the seed, so a re-run sends the
 * same commands and the command API appends nothing new. Withdrawals never exceed the planned balance.
 */
export function planSeed(options: SeedOptions): SeedAccount[] {
  const random = randomSource(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: options.accounts }, (_, index) => {
    const key = `seed-${options.seed}-account-${index}`;
    const accountId = nameBasedUuid(key, SEED_NAMESPACE);
    const currency = currencies[index % currencies.length]!;
    const holderName = `${pick(givenNames)} ${pick(familyNames)}`;
    // Amounts between 1 and 500 major units, in the currency's minor units (JPY has none).
    const unit = 10n ** BigInt(exponentOf(currency));
    const amount = (): bigint => unit + BigInt(Math.floor(random() * 499 * Number(unit)));
    const commands: SeedCommand[] = [{ mutation: 'openAccount', input: { accountId, holderName, currency, commandId: `${key}-open` } }];
    let balance = 0n;
    for (let step = 0; step < options.transactions; step += 1) {
      const commandId = `${key}-tx-${step}`;
      const wanted = amount();
      if (balance >= wanted && random() < 0.4) {
        balance -= wanted;
        commands.push({ mutation: 'withdrawMoney', input: { accountId, amount: formatMinor(wanted, currency), currency, commandId, reason: pick(withdrawalReasons) } });
      } else {
        balance += wanted;
        commands.push({ mutation: 'depositMoney', input: { accountId, amount: formatMinor(wanted, currency), currency, commandId, reason: pick(depositReasons) } });
      }
    }
    return { accountId, holderName, currency, commands, finalBalance: formatMinor(balance, currency) };
  });
}
