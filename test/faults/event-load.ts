// Steady appends of new accounts' histories (valid by construction, see the projector's test support)
// while a fault test breaks the projector's side: the load that must come out whole at the end.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { RedisClient } from '../../services/platform/index.ts';
import { globalKeys, namespaceOf, type Projection } from '../../services/projector/index.ts';
import { appendRandomHistory } from '../../services/projector/test-support.ts';

export interface EventLoad {
  /** Stops appending; resolves with every account appended and the number of events. */
  stop(): Promise<{ accountIds: string[]; totalEvents: number }>;
}

export function startEventLoad(esdb: EventStoreDBClient, projection: Projection): EventLoad {
  let appending = true;
  const accountIds: string[] = [];
  let totalEvents = 0;
  const appended = (async () => {
    while (appending) {
      const history = await appendRandomHistory(esdb, projection, 200, 5);
      accountIds.push(...history.accountIds);
      totalEvents += history.totalEvents;
      // A steady trickle rather than a flood, so that the two cores are left to the workers.
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      appending = false;
      await appended;
      return { accountIds, totalEvents };
    },
  };
}

/** Resolves once the projection's stats count `count` more events than now (bounded by `timeoutMs`). */
export async function waitForMoreProjected(redis: RedisClient, projection: Projection, count: number, timeoutMs = 20_000): Promise<void> {
  const stats = globalKeys(namespaceOf(projection)).stats;
  // Undefined while Redis is unreachable (e.g. just restarted), so a failed read never counts as progress.
  const projected = async () => redis.hGet(stats, 'events').then((events) => Number(events ?? 0), () => undefined);
  const deadline = Date.now() + timeoutMs;
  let target: number | undefined;
  for (;;) {
    const now = await projected();
    target ??= now === undefined ? undefined : now + count;
    if (target !== undefined && now !== undefined && now >= target) return;
    if (Date.now() > deadline) throw new Error(`the projection did not apply ${count} more events in ${timeoutMs} ms`);
    await sleep(10);
  }
}
