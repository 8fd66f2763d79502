import { EventEmitter } from 'node:events';
import type { EventStoreDBClient } from '@eventstore/db-client';

/** How the client reports that gossip found no member to connect to: a plain Error, so by its message. */
export const isDiscoveryFailure = (error: unknown): boolean => error instanceof Error && /^Failed to discover after \d+ attempts/.test(error.message);

/**
 * A client for a cluster connection string (esdb+discover://, or several hosts) that replaces itself
 * with a new one after gossip discovery failed.
 *
 * Why: the official client (6.x) caches the server's feature list as a promise, and when that request
 * fails because discovery found no member (every node down or unreachable for more than about a second,
 * e.g. a restart of a one-node cluster or a network partition), the rejected promise stays cached; every
 * later append and persistent-subscription call then fails with the same error, for good, even once the
 * nodes are back. A leader change alone does not do this (the other nodes still answer gossip). A new
 * client starts from scratch, so the first failure seen here swaps the inner client; callers keep the
 * same object, get the error as before, and succeed again once a node answers.
 */
export function rediscoveringClient(createClient: () => EventStoreDBClient): EventStoreDBClient {
  const create = (): EventStoreDBClient => withoutStrayRejections(createClient());
  let inner = create();
  const replaceAfter = (failed: EventStoreDBClient, error: unknown): void => {
    if (failed !== inner || !isDiscoveryFailure(error)) return;
    inner = create();
    // Nothing works through the old client any more; its streams have failed already.
    void failed.dispose().catch(() => undefined);
  };
  return new Proxy(inner, {
    get(_target, property) {
      const current = inner;
      const value: unknown = Reflect.get(current, property, current);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = value.apply(current, args);
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            replaceAfter(current, error);
            throw error;
          });
        }
        // Reads and subscriptions are streams: their errors arrive as events (and through iteration).
        if (result instanceof EventEmitter) result.on('error', (error: unknown) => replaceAfter(current, error));
        return result;
      };
    },
  });
}

interface ClientInternals {
  handleError?: (...args: unknown[]) => Promise<void>;
}

/**
 * The client reacts to a failed call (Unavailable, NotLeader) with `handleError`, which it never awaits,
 * and which awaits the connection being made at that moment. When that connection fails because discovery
 * found no node, the rejection is unhandled and would end the process (Node's default), although the
 * client has already dropped that connection and the next call discovers again. So a discovering client
 * gets a `handleError` whose failures are dropped. It is the client's own instance property (6.x); if a
 * later version has none, the client is left as it is.
 */
function withoutStrayRejections(client: EventStoreDBClient): EventStoreDBClient {
  const internals = client as unknown as ClientInternals;
  const handleError = internals.handleError;
  if (typeof handleError === 'function') {
    internals.handleError = (...args) => handleError.apply(client, args).catch(() => undefined);
  }
  return client;
}
