// A loopback TCP proxy for fault injection: clients connect to the proxy instead of the store or
// Redis, and the test drops every open connection or delays every chunk on demand.
import { connect, createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEsdbConnectionString, withEsdbHosts } from '../../services/platform/index.ts';

export interface TcpProxy {
  readonly port: number;
  /** Destroys every open connection (as a broken network does); new ones are accepted. */
  dropConnections(): void;
  /** Delays every chunk in both directions by `ms` from now on; 0 removes the delay. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/** `url` (esdb://… or redis://…) with its host and port replaced by the proxy's, and the proxy. */
export async function proxied(url: string): Promise<{ url: string; proxy: TcpProxy }> {
  if (url.startsWith('esdb')) {
    const connection = parseEsdbConnectionString(url);
    const [node, ...others] = connection?.hosts ?? [];
    // Through gossip the client would learn the nodes' own addresses and go around the proxy.
    if (connection === undefined || node === undefined || others.length > 0 || connection.discover) {
      throw new Error(`a proxy stands in front of one node (esdb://host:port), not ${url}`);
    }
    const proxy = await startTcpProxy(node);
    return { url: withEsdbHosts(connection, [{ host: '127.0.0.1', port: proxy.port }]), proxy };
  }
  const parsed = new URL(url);
  const proxy = await startTcpProxy({ host: parsed.hostname, port: Number(parsed.port) });
  parsed.host = `127.0.0.1:${proxy.port}`;
  return { url: parsed.toString(), proxy };
}

/** Listens on a free loopback port and forwards each connection to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let latencyMs = 0;

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A destroyed peer is expected here; without a listener its 'error' would crash the test run.
    socket.on('error', () => undefined);
  };

  // Chunks go through one promise chain per direction, each written `latencyMs` after it arrived, so
  // added latency delays the bytes without reordering them or throttling the bandwidth.
  const forward = (from: Socket, to: Socket): void => {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const dueAt = Date.now() + latencyMs;
      chain = chain
        .then(() => (dueAt > Date.now() ? sleep(dueAt - Date.now()) : undefined))
        .then(() => void (to.destroyed || to.write(chunk)));
    });
    from.once('close', () => void chain.then(() => to.destroy()));
  };

  const server = createServer((client) => {
    const upstream = connect(target);
    track(client);
    track(upstream);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');

  return {
    port: address.port,
    dropConnections: () => sockets.forEach((socket) => socket.destroy()),
    setLatency: (ms) => void (latencyMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}
