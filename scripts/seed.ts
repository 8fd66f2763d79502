// `npm run seed -- [--seed N] [--accounts N] [--transactions N]`: demo accounts and transactions, sent
// through the command API (COMMAND_API_URL). The same seed twice appends nothing new.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { planSeed, type SeedOptions } from './seed/plan.ts';
import { SeedError, sendSeed } from './seed/send.ts';

const count = (max: number) => z.coerce.number().int().min(1).max(max);
const optionsSchema = z.object({ seed: z.coerce.number().int().min(0).max(2 ** 32 - 1), accounts: count(10_000), transactions: count(10_000) });
const urlSchema = z.url({ protocol: /^https?$/ });

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seed: { type: 'string', default: '1' }, accounts: { type: 'string', default: '20' }, transactions: { type: 'string', default: '30' } },
  });
  const options = optionsSchema.safeParse(values);
  const url = urlSchema.safeParse(process.env.COMMAND_API_URL ?? 'http://127.0.0.1:4000/graphql');
  if (!options.success || !url.success) {
    const problems = [options.error, url.error].flatMap((error) => (error ? [z.prettifyError(error)] : []));
    process.stderr.write(`${problems.join('\n')}\nUsage: npm run seed -- [--seed N] [--accounts N] [--transactions N] (COMMAND_API_URL: the command API's /graphql URL)\n`);
    return 2;
  }
  return seed(options.data, url.data);
}

async function seed(options: SeedOptions, url: string): Promise<number> {
  const accounts = planSeed(options);
  const started = performance.now();
  try {
    const outcome = await sendSeed(accounts, url);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const rejected = Object.entries(outcome.rejected).map(([type, times]) => `${times} ${type}`);
    const currencies = [...new Set(accounts.map((account) => account.currency))];
    const byCurrency = currencies.map((currency) => `${accounts.filter((account) => account.currency === currency).length} ${currency}`);
    process.stdout.write(
      `Seed ${options.seed}: ${accounts.length} accounts (${byCurrency.join(', ')}), ${options.transactions} transactions each, via ${url} in ${seconds} s.\n` +
        `${outcome.accepted} commands accepted (a re-run with the same seed appends nothing new), ${rejected.length === 0 ? 'none rejected' : `rejected: ${rejected.join(', ')}`}.\n\n` +
        accounts.map((account) => `${account.accountId}  ${account.currency}  ${account.finalBalance.padStart(12)}  ${account.holderName}\n`).join(''),
    );
    return rejected.length === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

process.exitCode = await main();
