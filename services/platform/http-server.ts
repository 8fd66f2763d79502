import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, lets in-flight requests finish (at most `drainTimeoutMs`), then resolves. */
  readonly stop: () => Promise<void>;
}

export interface ListenOptions {
  /** Called once new connections are refused, e.g. to end long-lived responses such as SSE streams. */
  readonly beforeDrain?: () => void;
  /** How long a stop waits for in-flight requests before cutting their connections. */
  readonly drainTimeoutMs?: number;
}

/** Serves `handler` (a yoga instance, for one) on a port; port 0 picks a free one. */
export async function listenHttp(
  handler: RequestListener,
  port: number,
  host = '0.0.0.0',
  { beforeDrain, drainTimeoutMs = 10_000 }: ListenOptions = {},
): Promise<RunningHttpServer> {
  const server = createServer(handler);
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
      beforeDrain?.();
      const drainTimer = setTimeout(() => server.closeAllConnections(), drainTimeoutMs).unref();
      await closed;
      clearTimeout(drainTimer);
    },
  };
}
