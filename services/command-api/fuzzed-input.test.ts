// Property-based fuzzing of every mutation's input through yoga.fetch: whatever a client sends (wrong
// types, missing or extra fields, odd strings, huge numbers), the answer is never a 500 or a masked
// "Unexpected error.", every rejection is typed and says what is wrong, and a rejected command appends
// nothing. Bounded: a fixed seed (FUZZ_SEED overrides it) and a few dozen runs per mutation.
import { BACKWARDS, END, StreamNotFoundError } from '@eventstore/db-client';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { mutationDocument, newCommandApi, openedAccount, postGraphql, type MutationName } from './test-support.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20_261_123);
const NUM_RUNS = 50;
const { yoga, esdb } = newCommandApi();

// Typed answers each mutation may give besides CommandAccepted (see schema/command.graphql).
const typedAnswers: Record<MutationName, string[]> = {
  openAccount: ['CommandAccepted', 'ValidationFailed', 'ConcurrencyConflict', 'AccountAlreadyExists'],
  depositMoney: ['CommandAccepted', 'ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound', 'AccountClosed', 'CurrencyMismatch'],
  withdrawMoney: ['CommandAccepted', 'ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound', 'AccountClosed', 'CurrencyMismatch', 'InsufficientFunds'],
  closeAccount: ['CommandAccepted', 'ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound', 'AccountClosed', 'BalanceNotZero'],
  forgetHolder: ['CommandAccepted', 'ValidationFailed', 'ConcurrencyConflict', 'AccountNotFound'],
  requestTransfer: ['CommandAccepted', 'ValidationFailed', 'ConcurrencyConflict'],
};

let accounts: string[] = [];
beforeAll(async () => {
  // Accounts that exist, so fuzzed commands also reach the domain's decisions, not only validation.
  accounts = [await openedAccount(yoga, '100.00'), await openedAccount(yoga), await openedAccount(yoga, '5', 'JPY')];
});

const anyJson = fc.jsonValue({ maxDepth: 3 });
const decimal = fc.tuple(fc.bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n }), fc.nat(999)).map(([whole, cents]) => `${whole}.${cents}`);
const fields = {
  accountId: fc.oneof(fc.constantFrom(0, 1, 2).map((index) => accounts[index]), fc.uuid(), fc.string(), anyJson),
  holderName: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 250 }), anyJson),
  currency: fc.oneof(fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'eur', 'XXX', ''), fc.string({ maxLength: 4 }), anyJson),
  amount: fc.oneof(decimal, fc.constantFrom('1', '0.01', '1e3', '-0', 'NaN', ' 1', '9'.repeat(80)), fc.string(), fc.double().map(String), anyJson),
  commandId: fc.oneof(fc.uuid(), fc.string({ maxLength: 140 }), anyJson),
  expectedRevision: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double(), fc.constant(2 ** 53), anyJson),
  reason: fc.oneof(fc.string({ maxLength: 600 }), anyJson),
};
// Any subset of the known fields, plus unknown ones.
const inputArbitrary = fc
  .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), anyJson, { maxKeys: 2 }))
  .map(([known, extra]) => ({ ...extra, ...known }));

/**
 * The newest `$all` position among the given accounts' streams (the streams a command may touch). The
 * whole of `$all` would do on a server of its own, but other test files append to this one meanwhile.
 */
async function lastPositionOf(accountIds: readonly string[]): Promise<bigint> {
  const lastOf = async (id: string): Promise<bigint> => {
    let last = -1n;
    try {
      // Read to the end (of one event): leaving a gRPC read early keeps the client from disposing.
      for await (const { event } of esdb.readStream(`account-${id}`, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        last = event?.position?.commit ?? last;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return last;
  };
  return (await Promise.all(accountIds.map(lastOf))).reduce((max, commit) => (commit > max ? commit : max), -1n);
}

const STACK_LINE = /\n\s+at /;

describe('fuzzed mutation inputs', () => {
  it.each(Object.keys(typedAnswers) as MutationName[])('%s: typed answers only, and a rejection appends nothing', async (mutation) => {
    console.log(`fuzzing ${mutation} with seed ${seed}`);
    await fc.assert(
      fc.asyncProperty(inputArbitrary, async (input) => {
        const touched = [...accounts, ...(typeof input.accountId === 'string' ? [input.accountId] : [])];
        const before = await lastPositionOf(touched);
        const { status, json } = await postGraphql(yoga, JSON.stringify({ query: mutationDocument(mutation), variables: { input } }));
        expect(status).toBeLessThan(500);
        for (const error of json.errors ?? []) {
          expect(error.message).not.toBe('Unexpected error.');
          expect(error.message).not.toMatch(STACK_LINE);
        }
        const result = json.data?.result;
        if (result === undefined || result === null) {
          // Refused before it ran (e.g. a String field given a number): GraphQL says which variable is wrong.
          expect(json.errors?.[0]?.message).toMatch(/\$input/);
        } else {
          expect(typedAnswers[mutation]).toContain(result.__typename);
          if (result.__typename !== 'CommandAccepted') expect(result.message).toMatch(/\w/);
          if (result.__typename === 'ValidationFailed') {
            expect((result.issues as { path: string[]; message: string }[]).every((issue) => issue.path[0] === 'input' && issue.message !== '')).toBe(true);
          }
        }
        if (result?.__typename !== 'CommandAccepted') expect(await lastPositionOf(touched)).toBe(before);
      }),
      { seed, numRuns: NUM_RUNS },
    );
  });

});
