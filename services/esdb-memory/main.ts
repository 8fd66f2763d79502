// `npm run esdb -- --port 2113 [--db <dir>] [--host 127.0.0.1]`
import { parseArgs } from 'node:util';
import { startEsdbMemory } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2113' },
    host: { type: 'string', default: '127.0.0.1' },
    db: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got '${values.port}'`);
  process.exit(2);
}

const server = await startEsdbMemory({ port, host: values.host, ...(values.db ? { dbDir: values.db } : {}) });
console.log(
  JSON.stringify({
    msg: 'esdb-memory listening',
    connectionString: server.connectionString,
    durable: values.db ? values.db : false,
  }),
);

const shutdown = () => {
  void server.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
