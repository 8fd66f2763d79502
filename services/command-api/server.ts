import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandApi } from './app.ts';

export interface RunningCommandApi {
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  readonly stop: () => Promise<void>;
}

export async function listenCommandApi(yoga: CommandApi, port: number, host = '0.0.0.0'): Promise<RunningCommandApi> {
  const server: Server = createServer(yoga);
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
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
