// Shared by the stream browser tests: the browser served on a free port, a headless chromium, and a
// money movement across streams whose metadata chains like a transfer saga's.
import { randomUUID } from 'node:crypto';
import { jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { chromium, type Browser } from 'playwright-core';
import { encodeAccountEvent, eventMetadata, type AccountEvent } from '../services/domain/index.ts';
import { createStreamBrowser } from '../services/ops/index.ts';
import { createLogger, listenHttp, type RunningHttpServer } from '../services/platform/index.ts';
import { newEsdbClient } from './harness.ts';

const silentLog = createLogger('stream-browser-test').child({}, { level: 'silent' });

export function startStreamBrowser(queryApiUrl: string, pageSize = 5): Promise<RunningHttpServer> {
  return listenHttp(createStreamBrowser({ esdb: newEsdbClient(), log: silentLog, queryApiUrl, pageSize, queryApiTimeoutMs: 2_000 }), 0, '127.0.0.1');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'], timeout: 30_000 });
}

export interface ChainLink {
  readonly stream: string;
  readonly type: string;
}

/**
 * 25.00 EUR from account `from` (holding 100.00) to `to` (holding 0.00), as a
 * transfer saga records it: request → debit → debited → credit → completed, each event caused by the
 * one before and all sharing one correlation id. Account events are real domain events, so projectors
 * fold them like any other.
 */
export async function appendTransferChain(esdb: EventStoreDBClient, from: string, to: string): Promise<ChainLink[]> {
  const transfer = `transfer-${randomUUID()}`;
  const correlationId = randomUUID();
  const commandId = randomUUID();
  const context = { commandId, correlationId, actor: 'teller-7', occurredAt: new Date().toISOString() };
  const eur = (minor: bigint) => ({ minor, currency: 'EUR' as const });
  let cause = commandId;
  const links: ChainLink[] = [];
  const append = async (stream: string, type: string, data: Record<string, unknown>, schemaVersion = 1) => {
    const id = randomUUID();
    const metadata = { ...eventMetadata(context, schemaVersion), $causationId: cause };
    await esdb.appendToStream(stream, jsonEvent({ id, type, data, metadata }));
    cause = id;
    links.push({ stream, type });
  };
  const accountEvent = (event: AccountEvent) => {
    const stored = encodeAccountEvent(event);
    return append(`account-${event.data.accountId}`, stored.type, stored.data, stored.schemaVersion);
  };
  await append(transfer, 'TransferRequested', { from, to, amount: '25.00', currency: 'EUR' });
  await accountEvent({ type: 'MoneyWithdrawn', data: { accountId: from, amount: eur(2500n), balanceAfter: eur(7500n) } });
  await append(transfer, 'TransferDebited', { from, amount: '25.00', currency: 'EUR' });
  await accountEvent({ type: 'MoneyDeposited', data: { accountId: to, amount: eur(2500n), balanceAfter: eur(2500n) } });
  await append(transfer, 'TransferCompleted', {});
  return links;
}
