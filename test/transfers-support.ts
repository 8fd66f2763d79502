// Shared by the transfer tests: the command API and transfers process managers wired to the run's
// servers, and what a test reads back from the streams (the truth, independent of any read model).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { END } from '@eventstore/db-client';
import { Registry } from 'prom-client';
import { accountEvents, mutate, newCommandApi, openedAccount, streamEvents, type StoredEvent } from '../services/command-api/test-support.ts';
import { createLogger } from '../services/platform/index.ts';
import { createTransferMetrics, TransferProcessManager, type SagaStep } from '../services/transfers/index.ts';
import { bearer } from './auth-support.ts';
import { esdbConnectionString } from './harness.ts';

export { accountEvents, mutate, openedAccount, streamEvents };
export const { yoga: commands, esdb } = newCommandApi();

/** This test file's requests carry this actor, and its process managers drive only those (see `accepts`). */
const ACTOR = `transfers-test-${randomUUID().slice(0, 8)}`;
const tellerHeaders = await bearer({ subject: ACTOR, roles: ['teller'] });
const silentLog = createLogger('transfers-test').child({}, { level: process.env.LOG_LEVEL ?? 'silent' });

/**
 * A process manager in a group of this test file's own, starting at the end of `$all`: it drives the
 * transfers this file requests from now on (other files' requests are acked untouched). Starting one
 * stops those started before, so a test knows which manager (and fault hook) takes its transfers.
 */
export function processManagerFactory() {
  const group = `pm-test-${randomUUID().slice(0, 8)}`;
  const accepts = ({ actor }: { actor: string | undefined }): boolean => actor === ACTOR;
  const started: TransferProcessManager[] = [];
  return {
    start: async (afterStep?: (transferId: string, step: SagaStep) => Promise<void>): Promise<TransferProcessManager> => {
      await Promise.all(started.map((running) => running.stop()));
      const manager = new TransferProcessManager({
        esdbConnectionString: esdbConnectionString(), log: silentLog, metrics: createTransferMetrics(new Registry()), group,
        groupSettings: { startFrom: END }, accepts, ...(afterStep ? { afterStep } : {}),
      });
      started.push(manager);
      await manager.start();
      return manager;
    },
    stopAll: () => Promise.all(started.map((manager) => manager.stop())),
  };
}

export async function requestTransfer(fromAccountId: string, toAccountId: string, amount: string, currency = 'EUR'): Promise<string> {
  const result = await mutate(commands, 'requestTransfer', { fromAccountId, toAccountId, amount, currency }, tellerHeaders);
  if (result.__typename !== 'CommandAccepted') throw new Error(`transfer not accepted: ${JSON.stringify(result)}`);
  return String(result.aggregateId);
}

const FINAL_TYPES = new Set(['TransferCompleted', 'TransferRejected', 'TransferFailed']);

/** The transfer's events once its last one is final; fails after `timeoutMs`. */
export async function finishedTransfer(transferId: string, timeoutMs = 20_000): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await streamEvents(esdb, `transfer-${transferId}`);
    if (FINAL_TYPES.has(events.at(-1)?.type ?? '')) return events;
    if (Date.now() > deadline) throw new Error(`transfer ${transferId} did not finish: ${events.map((event) => event.type).join(', ')}`);
    await sleep(25);
  }
}

/** The account's balance as its stream records it (balanceAfter of the last movement). */
export async function balanceOf(accountId: string): Promise<string> {
  const movements = (await accountEvents(esdb, accountId)).filter((event) => event.type !== 'AccountOpened' && event.type !== 'AccountClosed');
  return movements.length === 0 ? '0.00' : String((movements.at(-1)!.data as { balanceAfter: string }).balanceAfter);
}

/** The account's movements that are legs of the transfer. */
export async function legsOf(accountId: string, transferId: string): Promise<StoredEvent[]> {
  return (await accountEvents(esdb, accountId)).filter((event) => (event.data as { transfer?: { transferId: string } }).transfer?.transferId === transferId);
}
