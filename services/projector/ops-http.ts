import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface OpsEndpoints {
  readonly registry: Registry;
  /** Ready means: subscribed to every group and Redis connected. */
  readonly isReady: () => boolean;
}

export interface RunningOpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** /metrics (Prometheus), /health (the process answers), /ready (it is doing its job). */
export async function startOpsServer(endpoints: OpsEndpoints, port: number, host = '0.0.0.0'): Promise<RunningOpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      endpoints.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': endpoints.registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
      return;
    }
    if (path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/ready') {
      const ready = endpoints.isReady();
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
