// Gives an account a long history quickly, for tests and benchmarks of long streams: events appended
// straight to the store in big batches, as a long run of earlier deposits would have left them.
import { randomUUID } from 'node:crypto';
import { jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { encodeAccountEvent, eventMetadata, type CurrencyCode } from '../domain/index.ts';

const HISTORY_BATCH = 1_000;

/**
 * Appends `deposits` deposits of one minor unit each after `revision`, where the balance is `balance`
 * (minor units); returns the new revision and balance.
 */
export async function appendDepositHistory(
  esdb: EventStoreDBClient,
  account: { readonly accountId: string; readonly currency: CurrencyCode; readonly revision: bigint; readonly balance: bigint },
  deposits: number,
): Promise<{ revision: bigint; balance: bigint }> {
  let { revision, balance } = account;
  const { accountId, currency } = account;
  for (let done = 0; done < deposits; done += HISTORY_BATCH) {
    const events = Array.from({ length: Math.min(HISTORY_BATCH, deposits - done) }, () => {
      balance += 1n;
      const stored = encodeAccountEvent({
        type: 'MoneyDeposited',
        data: { accountId, amount: { minor: 1n, currency }, balanceAfter: { minor: balance, currency } },
      });
      const context = { commandId: randomUUID(), correlationId: randomUUID(), actor: 'history', occurredAt: new Date().toISOString() };
      return jsonEvent({ type: stored.type, data: stored.data, metadata: { ...eventMetadata(context, stored.schemaVersion) } });
    });
    revision = (await esdb.appendToStream(`account-${accountId}`, events, { expectedRevision: revision })).nextExpectedRevision;
  }
  return { revision, balance };
}
