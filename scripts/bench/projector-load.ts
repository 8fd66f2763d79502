// Preloads random valid account histories for the projector benchmark. Streams are appended a few
// events at a time in rounds, so `$all` interleaves accounts as live traffic would.
import { randomUUID } from 'node:crypto';
import { jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { decide, encodeAccountEvent, eventMetadata, evolve, initialState, type AccountCommand, type AccountState } from '../../services/domain/index.ts';
import type { DeliveredEvent } from '../../services/projector/index.ts';

const EVENTS_PER_APPEND = 5;
const CONCURRENT_APPENDS = 64;

function nextCommand(accountId: string, state: AccountState): AccountCommand {
  if (state.status === 'unopened') return { type: 'OpenAccount', data: { accountId, holderName: `Holder ${accountId.slice(0, 6)}`, currency: 'EUR' } };
  const minor = BigInt(1 + Math.floor(Math.random() * 100_000));
  if (state.status === 'open' && state.balance > minor && Math.random() < 0.4) {
    return { type: 'WithdrawMoney', data: { accountId, amount: { minor, currency: state.currency } } };
  }
  return { type: 'DepositMoney', data: { accountId, amount: { minor, currency: 'EUR' } } };
}

/** Appends about `total` events (a multiple of `accounts`) over `accounts` account streams; returns them as a subscription would deliver them. */
export async function preloadAccountEvents(client: EventStoreDBClient, prefix: string, total: number, accounts: number): Promise<DeliveredEvent[]> {
  const perAccount = Math.max(1, Math.floor(total / accounts));
  const ids = Array.from({ length: accounts }, () => randomUUID());
  const histories = ids.map((accountId) => {
    let state = initialState;
    const events = [];
    for (let revision = 0; revision < perAccount; revision++) {
      const decision = decide(nextCommand(accountId, state), state);
      if (!decision.accepted) throw new Error(`generated an invalid command: ${decision.error.type}`);
      const [event] = decision.events;
      state = evolve(state, event!);
      const stored = encodeAccountEvent(event!);
      const context = { commandId: randomUUID(), correlationId: randomUUID(), actor: 'bench', occurredAt: new Date(Date.UTC(2026, 0, 1) + revision * 60_000).toISOString() };
      events.push({ id: randomUUID(), type: stored.type, data: stored.data, metadata: { ...eventMetadata(context, stored.schemaVersion) } });
    }
    return { stream: prefix + accountId, events };
  });

  const delivered: DeliveredEvent[] = [];
  for (let from = 0; from < perAccount; from += EVENTS_PER_APPEND) {
    const batch = histories.map(({ stream, events }) => ({ stream, events: events.slice(from, from + EVENTS_PER_APPEND) }));
    for (let at = 0; at < batch.length; at += CONCURRENT_APPENDS) {
      await Promise.all(batch.slice(at, at + CONCURRENT_APPENDS).map(({ stream, events }) => client.appendToStream(stream, events.map((event) => jsonEvent(event)))));
    }
    for (const { stream, events } of batch) {
      events.forEach((event, index) =>
        delivered.push({ eventId: event.id, streamName: stream, revision: BigInt(from + index), type: event.type, data: event.data, metadata: event.metadata, created: new Date() }),
      );
    }
  }
  return delivered;
}
