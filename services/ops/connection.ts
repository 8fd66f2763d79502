import type { EventStoreDBClient } from '@eventstore/db-client';
import { createEsdbClient } from '../platform/index.ts';
import type { OpsIo } from './command.ts';
import { readOpsEnv } from './env.ts';

/** Runs `work` with a client for the configured EventStoreDB and always disposes it. */
export async function withEsdb<T>(io: OpsIo, work: (client: EventStoreDBClient) => Promise<T>): Promise<T> {
  const client = createEsdbClient(readOpsEnv(io.env).ESDB_CONNECTION_STRING);
  try {
    return await work(client);
  } finally {
    await client.dispose();
  }
}
