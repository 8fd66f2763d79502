// Shared by the stream browser tests: the browser served on a free port and a headless chromium.
import { chromium, type Browser } from 'playwright-core';
import { createStreamBrowser } from '../services/ops/index.ts';
import { createLogger, listenHttp, type RunningHttpServer } from '../services/platform/index.ts';
import { staffHeaders } from './auth-support.ts';
import { newEsdbClient } from './harness.ts';

const silentLog = createLogger('stream-browser-test').child({}, { level: 'silent' });

export function startStreamBrowser(queryApiUrl: string, pageSize = 5): Promise<RunningHttpServer> {
  return listenHttp(createStreamBrowser({
    esdb: newEsdbClient(), log: silentLog, queryApiUrl, queryApiToken: staffHeaders.authorization.slice('Bearer '.length), pageSize, queryApiTimeoutMs: 2_000,
  }), 0, '127.0.0.1');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'], timeout: 30_000 });
}
