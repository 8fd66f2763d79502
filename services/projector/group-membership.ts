import type { EventStoreDBClient, PersistentSubscriptionToAll, PersistentSubscriptionToAllResolvedEvent } from '@eventstore/db-client';
import type { Logger } from '../platform/index.ts';

export interface GroupMember {
  readonly isRunning: () => boolean;
  readonly onConfirmed: (confirmed: boolean) => void;
  readonly onData: (subscription: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent) => void;
  /** Each time the subscription drops while the member runs, with why (the error's class), for a metric. */
  readonly onDropped: (reason: string) => void;
  readonly log: Logger;
}

const FIRST_REJOIN_DELAY_MS = 250;
const MAX_REJOIN_DELAY_MS = 5_000;

/** Why a subscription dropped, as a metric label: the client's error class, e.g. NotLeaderError or UnavailableError. */
const reasonOf = (error: unknown): string => (error instanceof Error ? error.constructor.name : 'ended');

/**
 * Joins a persistent-subscription group on `$all` and, while the member runs, joins again after the
 * subscription drops: a restarted server, a broken network, or a leader change in a cluster (the old
 * leader ends the call with NotLeader or Unavailable; the client then rediscovers the leader through
 * gossip for the next call, which is the rejoin). The delay doubles from 250 ms up to 5 s while rejoins
 * keep failing, with jitter so that many workers do not knock in step, and starts over once the server
 * confirms a subscription. Events in flight on the dropped subscription are redelivered by the server;
 * applying them is idempotent. Answers the current subscription, for leaving.
 */
export function joinGroup(client: EventStoreDBClient, group: string, bufferSize: number, member: GroupMember): () => PersistentSubscriptionToAll {
  let current!: PersistentSubscriptionToAll;
  let failedRejoins = 0;
  const subscribe = (): void => {
    const subscription = client.subscribeToPersistentSubscriptionToAll(group, { bufferSize });
    current = subscription;
    let dropped = false;
    subscription.on('confirmation', () => {
      failedRejoins = 0;
      member.onConfirmed(true);
      member.log.info({ group }, 'subscribed');
    });
    subscription.on('data', (resolved: PersistentSubscriptionToAllResolvedEvent) => member.onData(subscription, resolved));
    const drop = (error?: unknown): void => {
      if (dropped || current !== subscription || !member.isRunning()) return;
      dropped = true;
      member.onConfirmed(false);
      const ceiling = Math.min(FIRST_REJOIN_DELAY_MS * 2 ** failedRejoins, MAX_REJOIN_DELAY_MS);
      failedRejoins++;
      const delayMs = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
      const reason = reasonOf(error);
      member.onDropped(reason);
      member.log.warn({ group, reason, rejoinInMs: delayMs, err: error }, 'subscription dropped; rejoining');
      setTimeout(() => {
        if (member.isRunning() && current === subscription) subscribe();
      }, delayMs).unref();
    };
    subscription.on('error', drop);
    // A call the server ends without an error (a node shutting down cleanly) closes it without 'error'.
    subscription.on('close', () => drop());
  };
  subscribe();
  return () => current;
}
