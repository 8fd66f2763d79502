import type { EventStoreDBClient, PersistentSubscriptionToAll, PersistentSubscriptionToAllResolvedEvent } from '@eventstore/db-client';
import type { Logger } from '../platform/index.ts';

export interface GroupMember {
  readonly isRunning: () => boolean;
  readonly onConfirmed: (confirmed: boolean) => void;
  readonly onData: (subscription: PersistentSubscriptionToAll, resolved: PersistentSubscriptionToAllResolvedEvent) => void;
  readonly log: Logger;
}

/**
 * Joins a persistent-subscription group on `$all` and, while the member runs, joins again 500 ms after
 * the subscription drops (server restart, network). Answers the current subscription, for leaving.
 */
export function joinGroup(client: EventStoreDBClient, group: string, bufferSize: number, member: GroupMember): () => PersistentSubscriptionToAll {
  let current!: PersistentSubscriptionToAll;
  const subscribe = (): void => {
    const subscription = client.subscribeToPersistentSubscriptionToAll(group, { bufferSize });
    current = subscription;
    subscription.on('confirmation', () => {
      member.onConfirmed(true);
      member.log.info({ group }, 'subscribed');
    });
    subscription.on('data', (resolved: PersistentSubscriptionToAllResolvedEvent) => member.onData(subscription, resolved));
    subscription.on('error', (error: unknown) => {
      if (current !== subscription || !member.isRunning()) return;
      member.onConfirmed(false);
      member.log.warn({ group, err: error }, 'subscription dropped; resubscribing');
      setTimeout(() => {
        if (member.isRunning() && current === subscription) subscribe();
      }, 500).unref();
    });
  };
  subscribe();
  return () => current;
}
