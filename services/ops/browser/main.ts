import { createEsdbClient, createLogger, listenHttp, stopOnSignals } from '../../platform/index.ts';
import { createStreamBrowser } from './app.ts';
import { readBrowserEnv } from './env.ts';

const log = createLogger('stream-browser');

async function main(): Promise<void> {
  const env = readBrowserEnv();
  const esdb = createEsdbClient(env.ESDB_CONNECTION_STRING);
  const browser = createStreamBrowser({
    esdb, log, queryApiUrl: env.QUERY_API_URL, pageSize: env.BROWSE_PAGE_SIZE, scanLimit: env.BROWSE_SCAN_LIMIT,
  });
  const server = await listenHttp(browser, env.BROWSE_PORT, env.BROWSE_HOST);
  log.info({ url: server.url, esdb: env.ESDB_CONNECTION_STRING, queryApi: env.QUERY_API_URL }, 'stream browser listening');

  stopOnSignals(log, async () => {
    await server.stop();
    await esdb.dispose();
  });
}

await main();
