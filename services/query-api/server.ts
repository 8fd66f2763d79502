import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueryApi } from './app.ts';

export interface RunningQueryApi {
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, ends live subscriptions, lets in-flight queries finish, then resolves. */
  readonly stop: () => Promise<void>;
}

/** How long a stop waits for in-flight queries before cutting their connections. */
const drainTimeoutMs = 10_000;

export async function listenQueryApi(api: QueryApi, port: number, host = '0.0.0.0'): Promise<RunningQueryApi> {
  const server: Server = createServer(api.yoga);
  // Keep-alive connections would hold close() open until they time out; close them once they go idle.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    stop: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      // Subscriptions' event streams never end by themselves: end them, so their connections go idle.
      api.endSubscriptions();
      const drainTimer = setTimeout(() => server.closeAllConnections(), drainTimeoutMs).unref();
      await closed;
      clearTimeout(drainTimer);
    },
  };
}
