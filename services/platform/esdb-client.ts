import { createRequire } from 'node:module';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { clientConnectionString, parseEsdbConnectionString } from './esdb-connection-string.ts';
import { isDiscoveryFailure, rediscoveringClient } from './rediscovering-client.ts';

// Loaded on first use rather than at import: every service imports platform's index, and the query API
// (which reads Redis only) must not load the EventStoreDB client at all.
const require = createRequire(import.meta.url);
const loadClient = (): typeof import('@eventstore/db-client') => require('@eventstore/db-client');

/** The one way services connect to EventStoreDB (the real server or the embedded one, a node or a cluster). */
export function createEsdbClient(connectionString: string): EventStoreDBClient {
  const create = (): EventStoreDBClient => loadClient().EventStoreDBClient.connectionString(clientConnectionString(connectionString));
  const connection = parseEsdbConnectionString(connectionString);
  // Only a client that discovers its node by gossip can be left stuck by a failed discovery; one node is dialled directly.
  const discovers = connection !== undefined && (connection.discover || connection.hosts.length > 1);
  return discovers ? rediscoveringClient(create) : create();
}

/**
 * True when the server answers a cheap request within `timeoutMs`: what readiness probes ask. The
 * time bound covers discovery too (esdb+discover:// asks the gossip seeds first, and a seed that drops
 * packets would otherwise hold the probe for the client's gossip timeout times its attempts).
 */
export async function isEsdbReachable(client: EventStoreDBClient, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([readsOneEvent(client, timeoutMs), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function readsOneEvent(client: EventStoreDBClient, deadline: number): Promise<boolean> {
  try {
    // Reading one event backwards from $all touches the server without depending on any stream existing.
    // The read runs to its end: leaving a gRPC read early keeps the client from disposing later.
    const read = client.readAll({ maxCount: 1, direction: 'backwards', fromPosition: 'end', deadline });
    for await (const _event of read) continue;
    return true;
  } catch {
    return false;
  }
}

/**
 * True for the errors after which a request may or may not have reached the store and the client
 * reconnects by itself: the server unreachable or gone mid-call (Unavailable, Cancelled), too slow
 * (DeadlineExceeded), a follower refusing a leader-only request during a leader change (NotLeader: the
 * client's next call goes to the leader the error names), or no member found by gossip discovery.
 */
export function isStoreUnreachable(error: unknown): boolean {
  const { UnavailableError, CancelledError, DeadlineExceededError, NotLeaderError } = loadClient();
  return (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    isDiscoveryFailure(error)
  );
}
