// The projector benchmarks' correctness check: after a run, every account's summary must show its
// last revision, the balance the domain folds its events to and its number of transactions, and the
// global stats must count every event. A run that is fast because it skipped or doubled work fails.
import { decodeAccountEvent, evolve, initialState, isAccountEventType, type AccountState, type JsonObject } from '../../services/domain/index.ts';
import type { RedisClient } from '../../services/platform/index.ts';
import { accountKeys, globalKeys, type DeliveredEvent } from '../../services/projector/index.ts';

export interface ExpectedAccount {
  readonly revision: string;
  readonly balanceMinor: string;
  readonly transactions: number;
}

/** What each account's read model must show, by account id, folded from the preloaded events. */
export function expectedAccounts(events: readonly DeliveredEvent[], prefix: string): Map<string, ExpectedAccount> {
  const folded = new Map<string, { state: AccountState; revision: bigint; transactions: number }>();
  for (const event of events) {
    if (!isAccountEventType(event.type)) throw new Error(`unexpected event type ${event.type}`);
    const id = event.streamName.slice(prefix.length);
    const before = folded.get(id) ?? { state: initialState, revision: -1n, transactions: 0 };
    const { schemaVersion } = event.metadata as { schemaVersion: number };
    const domainEvent = decodeAccountEvent(event.type, schemaVersion, event.data as JsonObject);
    const moved = domainEvent.type === 'MoneyDeposited' || domainEvent.type === 'MoneyWithdrawn';
    folded.set(id, { state: evolve(before.state, domainEvent), revision: event.revision, transactions: before.transactions + (moved ? 1 : 0) });
  }
  return new Map([...folded].map(([id, { state, revision, transactions }]) => [
    id, { revision: String(revision), balanceMinor: state.status === 'unopened' ? '0' : String(state.balance), transactions },
  ]));
}

/** Throws, naming the first few accounts that differ, unless projection `name` (version 1) shows exactly `expected`. */
export async function verifyReadModels(redis: RedisClient, name: string, expected: Map<string, ExpectedAccount>, total: number): Promise<void> {
  const namespace = { projection: name, version: 1 };
  const projected = Number(await redis.hGet(globalKeys(namespace).stats, 'events'));
  if (projected !== total) throw new Error(`${name}: the stats count ${projected} events, not ${total}`);
  const ids = [...expected.keys()];
  // Issued together, so the client pipelines them.
  const actuals = await Promise.all(ids.map(async (id) => {
    const keys = accountKeys(namespace, id);
    const [[revision, balanceMinor], transactions] = await Promise.all([redis.hmGet(keys.summary, ['revision', 'balanceMinor']), redis.zCard(keys.transactions)]);
    return { revision, balanceMinor, transactions };
  }));
  const wrong = ids.flatMap((id, index) => {
    const actual = actuals[index]!;
    const want = expected.get(id)!;
    const same = actual.revision === want.revision && actual.balanceMinor === want.balanceMinor && actual.transactions === want.transactions;
    return same ? [] : [`${id}: ${JSON.stringify(actual)} instead of ${JSON.stringify(want)}`];
  });
  if (wrong.length > 0) throw new Error(`${name}: ${wrong.length} of ${ids.length} accounts are wrong, e.g. ${wrong.slice(0, 3).join('; ')}`);
}
