import type { SeedAccount, SeedCommand } from './plan.ts';

export interface SeedOutcome {
  readonly accepted: number;
  /** Commands the API answered with a typed error, by error type (e.g. a re-run after manual changes). */
  readonly rejected: Record<string, number>;
}

/** A problem the user can act on; the CLI prints its message alone. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

const inputTypes = { openAccount: 'OpenAccountInput', depositMoney: 'DepositMoneyInput', withdrawMoney: 'WithdrawMoneyInput' } as const;
/** Accounts seeded at once; each account's own commands go one after another. */
const PARALLEL_ACCOUNTS = 4;

/** Sends every account's commands to the command API over HTTP, so the API validates them as any client's. */
export async function sendSeed(accounts: readonly SeedAccount[], commandApiUrl: string): Promise<SeedOutcome> {
  const outcome = { accepted: 0, rejected: {} as Record<string, number> };
  const queue = [...accounts];
  const seedNext = async (): Promise<void> => {
    for (let account = queue.shift(); account !== undefined; account = queue.shift()) {
      for (const command of account.commands) {
        const typename = await send(command, commandApiUrl);
        if (typename === 'CommandAccepted') outcome.accepted += 1;
        else outcome.rejected[typename] = (outcome.rejected[typename] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_ACCOUNTS }, seedNext));
  return outcome;
}

async function send(command: SeedCommand, url: string): Promise<string> {
  const query = `mutation Seed($input: ${inputTypes[command.mutation]}!) { result: ${command.mutation}(input: $input) { __typename } }`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-actor': 'seed' },
      body: JSON.stringify({ query, variables: { input: command.input } }),
    });
  } catch {
    throw new SeedError(`Cannot reach the command API at ${url}: start the system with 'npm run dev' or set COMMAND_API_URL.`);
  }
  const body = (await response.json().catch(() => ({}))) as { data?: { result?: { __typename: string } }; errors?: { message: string }[] };
  const typename = body.data?.result?.__typename;
  if (typename === undefined) {
    const reason = body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`;
    throw new SeedError(`The command API at ${url} refused ${command.mutation}: ${reason}`);
  }
  return typename;
}
