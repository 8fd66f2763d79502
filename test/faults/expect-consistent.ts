// How every fault scenario ends: no acknowledged command lost, nothing applied twice, and the read
// models equal the fold of the streams.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { expect } from 'vitest';
import { accountEvents } from '../../services/command-api/test-support.ts';
import type { RedisClient } from '../../services/platform/index.ts';
import { accountKeys, namespaceOf, type Projection } from '../../services/projector/index.ts';
import { expectReadModelsMatchStreams } from '../../services/projector/expect-read-models.ts';
import type { CommandLoad } from './command-load.ts';

/** Each accepted command is in its account's stream exactly once; rejected ones are not there at all. */
export async function expectEveryAcceptedCommandOnce(esdb: EventStoreDBClient, load: CommandLoad): Promise<void> {
  const seen = new Map<string, number>();
  for (const accountId of load.accountIds) {
    for (const event of await accountEvents(esdb, accountId)) {
      const commandId = String(event.metadata.commandId);
      seen.set(commandId, (seen.get(commandId) ?? 0) + 1);
    }
  }
  const lost = [...load.accepted].filter((commandId) => seen.get(commandId) !== 1);
  const appliedDespiteRejection = [...load.rejected].filter((commandId) => seen.has(commandId));
  const doubled = [...seen].filter(([, count]) => count > 1);
  expect({ lost, appliedDespiteRejection, doubled }).toEqual({ lost: [], appliedDespiteRejection: [], doubled: [] });
  // Every event stems from a command that was answered as accepted: nothing the user was not told about.
  expect(seen.size).toBe(load.accepted.size);
}

/** Waits (bounded) until every account's read model is at its stream's last revision. */
export async function waitForAccountsProjected(
  esdb: EventStoreDBClient,
  redis: RedisClient,
  projection: Projection,
  accountIds: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const last = new Map<string, string>();
  for (const accountId of accountIds) last.set(accountId, String((await accountEvents(esdb, accountId)).length - 1));
  const deadline = Date.now() + timeoutMs;
  for (const [accountId, revision] of last) {
    const key = accountKeys(namespaceOf(projection), accountId).summary;
    while ((await redis.hGet(key, 'revision').catch(() => undefined)) !== revision) {
      if (Date.now() > deadline) throw new Error(`read model of account ${accountId} never reached revision ${revision}`);
      await sleep(50);
    }
  }
}

/**
 * The whole check. `checkGlobals` only when the projection sees nothing but this test's accounts
 * (a server of its own); on the shared server other tests' accounts flow through it too.
 * `alsoProjected`: accounts the test wrote to besides the load's, compared with the streams too.
 */
export async function expectLedgerConsistent(
  esdb: EventStoreDBClient,
  redis: RedisClient,
  projection: Projection,
  load: CommandLoad,
  options: { checkGlobals: boolean; alsoProjected?: readonly string[] },
): Promise<void> {
  await expectEveryAcceptedCommandOnce(esdb, load);
  const accountIds = [...load.accountIds, ...(options.alsoProjected ?? [])];
  await waitForAccountsProjected(esdb, redis, projection, accountIds);
  await expectReadModelsMatchStreams(esdb, redis, projection, accountIds, { checkGlobals: options.checkGlobals });
}
