// The stream browser in a real headless chromium, against the run's EventStoreDB, with the command API,
// a projector, the query API and a transfers process manager beside it: what an analyst sees and clicks.
import { mkdir, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { jsonEvent } from '@eventstore/db-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutate, openedAccount } from '../services/command-api/test-support.ts';
import { until } from '../services/ops/test-support.ts';
import { listenQueryApi, type RunningQueryApi } from '../services/query-api/index.ts';
import type { RunningHttpServer } from '../services/platform/index.ts';
import { newEsdbClient } from './harness.ts';
import { startLedger, type Ledger } from './query-api-support.ts';
import { launchChromium, startStreamBrowser } from './stream-browser-support.ts';
import { finishedTransfer, processManagerFactory, requestTransfer } from './transfers-support.ts';

const SCREENSHOTS = 'test-results/stream-browser';

let ledger: Ledger;
let queryApi: RunningQueryApi;
let server: RunningHttpServer;
let chromium: Browser;
let page: Page;
const transferManagers = processManagerFactory();
beforeAll(async () => {
  ledger = await startLedger();
  queryApi = await listenQueryApi(await ledger.newQueryApi(), 0, '127.0.0.1');
  server = await startStreamBrowser(`${queryApi.url}/graphql`);
  chromium = await launchChromium();
  page = await chromium.newPage();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await chromium?.close();
  await transferManagers.stopAll();
  await server?.stop();
  await queryApi?.stop();
  await ledger?.stop();
});

/** Reloads until `shown` holds (a real server's projections and the read model catch up a moment later). */
async function reloadUntil(shown: () => Promise<boolean>, what: string): Promise<void> {
  let first = true;
  await until(what, async () => {
    if (!first) await page.reload();
    first = false;
    return shown();
  });
}

const eventHeadings = () => page.locator('article.event h3').allTextContents();

describe('stream browser', () => {
  it('lists a seeded account, shows it newest first beside its read model, pages backwards, jumps, and opens an event', async () => {
    const accountId = await openedAccount(ledger.commands, '100.00');
    for (let amount = 1; amount <= 10; amount++) {
      expect(await mutate(ledger.commands, 'depositMoney', { accountId, amount: `${amount}.00`, currency: 'EUR' })).toMatchObject({ __typename: 'CommandAccepted' });
    }
    const stream = `account-${accountId}`;

    await page.goto(`${server.url}/streams?category=account`);
    await reloadUntil(() => page.getByRole('link', { name: stream }).isVisible(), `${stream} in the account list`);
    await page.getByRole('link', { name: stream }).click();

    expect(await page.locator('h1').textContent()).toBe(stream);
    expect(await eventHeadings()).toEqual(['#11 MoneyDeposited', '#10 MoneyDeposited', '#9 MoneyDeposited', '#8 MoneyDeposited', '#7 MoneyDeposited']);
    await reloadUntil(async () => (await page.locator('#read-model').textContent())?.includes('#11') ?? false, 'read model at event #11');
    expect(await page.locator('#read-model tr', { hasText: 'Balance' }).locator('td').textContent()).toBe('155.00 EUR');
    await page.screenshot({ path: `${SCREENSHOTS}/account-stream.png`, fullPage: true });
    expect((await stat(`${SCREENSHOTS}/account-stream.png`)).size).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Older events' }).click();
    expect(await eventHeadings()).toEqual(['#6 MoneyDeposited', '#5 MoneyDeposited', '#4 MoneyDeposited', '#3 MoneyDeposited', '#2 MoneyDeposited']);
    await page.getByRole('link', { name: 'Older events' }).click();
    expect(await eventHeadings()).toEqual(['#1 MoneyDeposited', '#0 AccountOpened']);
    expect(await page.getByText('No older events').isVisible()).toBe(true);

    await page.getByLabel('Jump to event number').fill('3');
    await page.getByRole('button', { name: 'Go' }).click();
    expect(await eventHeadings()).toEqual(['#3 MoneyDeposited', '#2 MoneyDeposited', '#1 MoneyDeposited', '#0 AccountOpened']);

    await page.getByRole('link', { name: '#0 AccountOpened' }).click();
    expect(await page.locator('h1').textContent()).toBe('#0 AccountOpened');
    expect(JSON.parse((await page.locator('pre.data').textContent()) ?? '')).toMatchObject({
      accountId, currency: 'EUR',
      // The store holds the holder's name sealed with the account's key, never in plain text.
      holderName: { alg: 'A256GCM', ct: expect.any(String) },
    });
    expect(JSON.parse((await page.locator('pre.metadata').textContent()) ?? '')).toMatchObject({ actor: 'test-staff', schemaVersion: expect.any(Number) });
  });

  it('traces a credit back through a real transfer to the request and on to its completion, in causal order', async () => {
    await transferManagers.start();
    const from = await openedAccount(ledger.commands, '100.00');
    const to = await openedAccount(ledger.commands);
    const transferId = await requestTransfer(from, to, '25.00');
    expect((await finishedTransfer(transferId)).map((event) => event.type)).toEqual(['TransferRequested', 'TransferDebited', 'TransferCompleted']);
    const transfer = `transfer-${transferId}`;

    await page.goto(`${server.url}/stream?name=account-${to}`);
    await page.locator('#event-1').getByRole('link', { name: 'Trace' }).click();
    const steps = page.locator('#trace li.step');
    // On a real server the trace reads the by-correlation projection, which catches up a moment later.
    await reloadUntil(async () => (await steps.count()) === 5, '5 steps in the trace');

    const shown = await steps.evaluateAll((items) => items.map((item) => `${item.getAttribute('data-stream')} #${item.getAttribute('data-revision')}`));
    expect(shown).toEqual([`${transfer} #0`, `account-${from} #2`, `${transfer} #1`, `account-${to} #1`, `${transfer} #2`]);
    const texts = await steps.allTextContents();
    const types = ['TransferRequested', 'MoneyWithdrawn', 'TransferDebited', 'MoneyDeposited', 'TransferCompleted'];
    expect(types.map((type, index) => texts[index]?.includes(type))).toEqual(types.map(() => true));
    expect(texts[1]).toContain('caused by #0 TransferRequested');
    expect(texts[0]).toContain('a command or an event outside this chain');
    expect(await page.locator('#trace li.current').getAttribute('data-stream')).toBe(`account-${to}`);
    await page.screenshot({ path: `${SCREENSHOTS}/trace.png`, fullPage: true });

    await steps.first().getByRole('link', { name: '#0 TransferRequested' }).click();
    expect(await page.locator('h1').textContent()).toBe('#0 TransferRequested');
    expect(JSON.parse((await page.locator('pre.data').textContent()) ?? '')).toMatchObject({ transferId, fromAccountId: from, toAccountId: to, amount: '25.00', currency: 'EUR' });
  });

  it('shows an event whose data holds markup and scripts as text, and runs none of it', async () => {
    const stream = `browsed-${randomUUID()}`;
    const script = '<script>window.__pwned = true</script>';
    const image = "<img src=x onerror='window.__pwned = true'>";
    await newEsdbClient().appendToStream(stream, jsonEvent({ type: 'NoteTaken', data: { note: script, image }, metadata: { reason: `</pre>${script}` } }));
    const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned === true);

    for (const path of [`/stream?name=${stream}`, `/event?stream=${stream}&revision=0`, `/trace?stream=${stream}&revision=0`]) {
      await page.goto(`${server.url}${path}`);
      expect(await page.locator('body').textContent()).toContain(script);
      expect(await page.locator('script, img').count()).toBe(0);
      expect(await pwned()).toBe(false);
    }
    expect(await page.locator('details pre').textContent()).toContain(image);
  });
});
