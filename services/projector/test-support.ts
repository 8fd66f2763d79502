// Shared by the projector tests: a unique projection per test, random valid account histories
// appended through the real client, workers, and the read models expected from folding the streams.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonEvent, type EventStoreDBClient, type PersistentSubscriptionToAllSettings } from '@eventstore/db-client';
import { Registry } from 'prom-client';
import {
  decide,
  encodeAccountEvent,
  eventMetadata,
  evolve,
  initialState,
  type AccountCommand,
  type AccountState,
  type CurrencyCode,
} from '../domain/index.ts';
import { createLogger, type RedisClient, type RedisTarget } from '../platform/index.ts';
import { defineAccountsProjection, type AccountsProjectionOptions } from './account-projection.ts';
import { createProjectorMetrics, type ProjectorMetrics } from './metrics.ts';
import type { Projection } from './projection.ts';
import { globalKeys, namespacePrefix } from './read-model-keys.ts';
import { ProjectorWorker, type ProjectorWorkerOptions } from './worker.ts';

const CURRENCIES: CurrencyCode[] = ['EUR', 'USD', 'JPY', 'KWD'];

/** A projection of its own (name, group, keys, stream prefix), so tests sharing servers never meet. */
export function uniqueAccountsProjection(options: AccountsProjectionOptions = {}): Projection {
  const tag = randomUUID().slice(0, 8);
  return defineAccountsProjection({ name: `accounts-${tag}`, streamPrefix: `acct${tag}-`, ...options });
}

export interface GeneratedHistory {
  readonly accountIds: string[];
  readonly totalEvents: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Random commands, each decided against the account's state; only accepted ones become events. */
export function generateAccountEvents(prefix: string, commandCount: number, accountCount: number) {
  const states = new Map<string, AccountState>();
  const perStream = new Map<string, ReturnType<typeof jsonEvent>[]>();
  const ids = Array.from({ length: accountCount }, () => randomUUID());
  const started = Date.parse('2026-01-01T00:00:00Z');
  let accepted = 0;
  while (accepted < commandCount) {
    const accountId = accepted < accountCount ? ids[accepted]! : pick(ids);
    const state = states.get(accountId) ?? initialState;
    // A closed account accepts nothing: closing the last open one would leave no command to accept.
    const openAccounts = [...states.values()].filter((other) => other.status === 'open').length;
    const command = randomCommand(accountId, state, { mayClose: openAccounts > 1 });
    const decision = decide(command, state);
    if (!decision.accepted) continue;
    const occurredAt = new Date(started + accepted * 1_000).toISOString();
    const context = {
      commandId: randomUUID(), correlationId: randomUUID(), actor: pick(['alice', 'bob', 'teller-7']), occurredAt,
      reason: Math.random() < 0.3 ? 'monthly savings' : undefined,
    };
    const events = perStream.get(prefix + accountId) ?? [];
    let next = state;
    for (const event of decision.events) {
      const stored = encodeAccountEvent(event);
      events.push(jsonEvent({ type: stored.type, data: stored.data, metadata: { ...eventMetadata(context, stored.schemaVersion) } }));
      next = evolve(next, event);
    }
    perStream.set(prefix + accountId, events);
    states.set(accountId, next);
    accepted++;
  }
  return { ids, perStream };
}

function randomCommand(accountId: string, state: AccountState, { mayClose }: { mayClose: boolean }): AccountCommand {
  if (state.status === 'unopened') {
    return { type: 'OpenAccount', data: { accountId, holderName: `Holder ${accountId.slice(0, 4)}`, currency: pick(CURRENCIES) } };
  }
  const currency = state.status === 'open' ? state.currency : 'EUR';
  const roll = Math.random();
  if (roll < 0.03 && mayClose) {
    // Closing needs a zero balance: empty the account first, so closes really happen.
    if (state.status === 'open' && state.balance > 0n) return { type: 'WithdrawMoney', data: { accountId, amount: { minor: state.balance, currency } } };
    return { type: 'CloseAccount', data: { accountId } };
  }
  const minor = BigInt(1 + Math.floor(Math.random() * 50_000));
  if (roll < 0.6 || state.status !== 'open' || state.balance === 0n) return { type: 'DepositMoney', data: { accountId, amount: { minor, currency } } };
  return { type: 'WithdrawMoney', data: { accountId, amount: { minor: minor > state.balance ? state.balance : minor, currency } } };
}

/** Appends each stream's events in order; streams concurrently, so `$all` interleaves them. */
export async function appendHistories(client: EventStoreDBClient, perStream: Map<string, ReturnType<typeof jsonEvent>[]>): Promise<number> {
  let total = 0;
  await Promise.all(
    [...perStream].map(async ([stream, events]) => {
      for (let at = 0; at < events.length; at += 3) await client.appendToStream(stream, events.slice(at, at + 3));
      total += events.length;
    }),
  );
  return total;
}

export async function appendRandomHistory(client: EventStoreDBClient, projection: Projection, commands = 2_000, accounts = 50): Promise<GeneratedHistory> {
  const { ids, perStream } = generateAccountEvents(projection.streamPrefix, commands, accounts);
  return { accountIds: ids, totalEvents: await appendHistories(client, perStream) };
}

export interface TestWorker {
  readonly worker: ProjectorWorker;
  readonly metrics: ProjectorMetrics;
  readonly registry: Registry;
}

export async function startTestWorker(
  connection: { esdbConnectionString: string; redisTarget: RedisTarget },
  projection: Projection,
  options: Partial<ProjectorWorkerOptions> & { groupSettings?: Partial<PersistentSubscriptionToAllSettings> } = {},
): Promise<TestWorker> {
  const registry = new Registry();
  const metrics = createProjectorMetrics(registry);
  const log = createLogger('projector-test');
  // Poison-event tests log errors on purpose; LOG_LEVEL=info shows them.
  log.level = process.env.LOG_LEVEL ?? 'silent';
  const worker = new ProjectorWorker({
    ...connection, projection, metrics, log, progressIntervalMs: 0, bufferSize: 200, ...options,
  });
  await worker.start();
  return { worker, metrics, registry };
}

/** Polls until the global stats count every event (so every account is folded in at its last revision). */
export async function waitForProjectedEvents(redis: RedisClient, projection: Projection, total: number, timeoutMs = 60_000): Promise<void> {
  const stats = globalKeys({ projection: projection.name, version: projection.version }).stats;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const projected = Number((await redis.hGet(stats, 'events')) ?? 0);
    if (projected === total) return;
    if (Date.now() > deadline) throw new Error(`read model of ${namespacePrefix({ projection: projection.name, version: projection.version })} has ${projected} of ${total} events`);
    await sleep(50);
  }
}

export const counterValue = async (registry: Registry, name: string): Promise<number> =>
  ((await registry.getSingleMetric(name)?.get())?.values ?? []).reduce((sum, value) => sum + value.value, 0);
