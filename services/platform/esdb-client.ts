import { createRequire } from 'node:module';
import type { EventStoreDBClient } from '@eventstore/db-client';

// Loaded on first use rather than at import: every service imports platform's index, and the query API
// (which reads Redis only) must not load the EventStoreDB client at all.
const require = createRequire(import.meta.url);
const loadClient = (): typeof import('@eventstore/db-client') => require('@eventstore/db-client');

/** The one way services connect to EventStoreDB (the real server or the embedded one). */
export function createEsdbClient(connectionString: string): EventStoreDBClient {
  return loadClient().EventStoreDBClient.connectionString(connectionString);
}

/** True when the server answers a cheap request: what readiness probes ask. */
export async function isEsdbReachable(client: EventStoreDBClient, timeoutMs = 2_000): Promise<boolean> {
  try {
    // Reading one event backwards from $all touches the server without depending on any stream existing.
    // The read runs to its end: leaving a gRPC read early keeps the client from disposing later.
    const read = client.readAll({ maxCount: 1, direction: 'backwards', fromPosition: 'end', deadline: timeoutMs });
    for await (const _event of read) continue;
    return true;
  } catch {
    return false;
  }
}
