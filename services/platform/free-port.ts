import { createServer } from 'node:net';

/** Asks the OS for a port nobody is listening on right now (it may be taken again before use). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`could not read the port of a probe socket on ${host}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
