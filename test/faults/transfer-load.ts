// Steady transfers between two accounts of their own while a fault test breaks things underneath: the
// transfers process manager must drive every requested transfer to completion, each leg exactly once.
// A request that is not answered is sent again with the same commandId (hence the same transfer id).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStoreDBClient } from '@eventstore/db-client';
import { expect } from 'vitest';
import type { CommandApi } from '../../services/command-api/index.ts';
import { accountEvents, mutate, streamEvents } from '../../services/command-api/test-support.ts';

const AMOUNT = '1.00';

export class TransferLoad {
  readonly accountIds: string[] = [];
  /** Transfer ids of the accepted requests. */
  readonly requested: string[] = [];
  #running = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(private readonly yoga: CommandApi) {}

  /** Opens the source (with `balance`) and the destination, then requests one transfer every `everyMs`. */
  async start(balance: string, everyMs: number): Promise<void> {
    const [from, to] = [randomUUID(), randomUUID()];
    await this.#untilAccepted('openAccount', { accountId: from, holderName: 'Transfer Source', currency: 'EUR' });
    await this.#untilAccepted('openAccount', { accountId: to, holderName: 'Transfer Destination', currency: 'EUR' });
    await this.#untilAccepted('depositMoney', { accountId: from, amount: balance, currency: 'EUR' });
    this.accountIds.push(from, to);
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        const accepted = await this.#untilAccepted('requestTransfer', { fromAccountId: from, toAccountId: to, amount: AMOUNT, currency: 'EUR' });
        this.requested.push(String(accepted.aggregateId));
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Every requested transfer completes (bounded wait), with one debit and one credit; the money adds up. */
  async expectAllCompleted(esdb: EventStoreDBClient, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const transferId of this.requested) {
      while ((await streamEvents(esdb, `transfer-${transferId}`)).at(-1)?.type !== 'TransferCompleted') {
        if (Date.now() > deadline) throw new Error(`transfer ${transferId} did not complete`);
        await sleep(50);
      }
    }
    const [from, to] = await Promise.all(this.accountIds.map((accountId) => accountEvents(esdb, accountId)));
    const legs = (events: typeof from) => events!.map((event) => (event.data as { transfer?: { transferId: string } }).transfer?.transferId).filter(Boolean);
    expect(legs(from).sort()).toEqual([...this.requested].sort());
    expect(legs(to).sort()).toEqual([...this.requested].sort());
  }

  /** Sends the command until it is accepted, with the same commandId each time (bounded). */
  async #untilAccepted(mutation: 'openAccount' | 'depositMoney' | 'requestTransfer', fields: Record<string, unknown>) {
    const input = { ...fields, commandId: randomUUID() };
    for (let attempt = 0; attempt < 300; attempt++) {
      const result = await mutate(this.yoga, mutation, input).catch(() => undefined);
      if (result?.__typename === 'CommandAccepted') return result;
      if (result !== undefined && result.__typename !== 'StoreUnavailable') throw new Error(`${mutation} refused: ${JSON.stringify(result)}`);
      await sleep(100);
    }
    throw new Error(`${mutation} not accepted after 300 attempts`);
  }
}
