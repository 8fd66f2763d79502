import type { EventStoreDBClient } from '@eventstore/db-client';
import { ExitCode, type OpsIo } from '../command.ts';
import { withEsdb } from '../connection.ts';
import { findGroup, type GroupInfo } from '../subscription-groups.ts';

/** Flags every command about one group takes. */
export const groupFlags = {
  source: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** Finds the named group and runs `work` on it; an unknown group is ExitCode.notFound with one clear sentence. */
export function onGroup(
  io: OpsIo,
  group: string,
  source: string | undefined,
  work: (client: EventStoreDBClient, info: GroupInfo) => Promise<number>,
): Promise<number> {
  return withEsdb(io, async (client) => {
    const info = await findGroup(client, group, source);
    if (info === undefined) {
      io.stderr(`No persistent-subscription group named '${group}'${source === undefined ? '' : ` on ${source}`}; 'subscriptions list' shows them.\n`);
      return ExitCode.notFound;
    }
    return work(client, info);
  });
}
