// The embedded server (--db) is killed and started again on the same data directory and port while
// commands and projections flow: the command API and the projector workers must reconnect by
// themselves, and the ledger must end consistent.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newCommandApi } from '../../services/command-api/test-support.ts';
import { createEsdbClient, findFreePort } from '../../services/platform/index.ts';
import { defineAccountsProjection } from '../../services/projector/index.ts';
import { startTestWorker } from '../../services/projector/test-support.ts';
import { newRedisClient, redisTarget } from '../harness.ts';
import { CommandLoad } from './command-load.ts';
import { startEsdbProcess, type EsdbProcess } from './esdb-process.ts';
import { expectLedgerConsistent } from './expect-consistent.ts';

describe('the event store restarts while commands and projections flow', () => {
  let server: EsdbProcess | undefined;
  let dbDir = '';
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (dbDir !== '') await rm(dbDir, { recursive: true, force: true });
  });

  it('clients reconnect; nothing acknowledged is lost or doubled and the read models match', { timeout: 60_000 }, async () => {
    dbDir = await mkdtemp(join(tmpdir(), 'faults-esdb-'));
    const port = await findFreePort();
    server = await startEsdbProcess(dbDir, port);
    const connection = { esdbConnectionString: server.connectionString, redisTarget: redisTarget() };
    // The server is this test's own, so the projection sees only this test's accounts.
    const projection = defineAccountsProjection({ name: `faults-esdb-${randomUUID().slice(0, 8)}` });
    const workers = [await startTestWorker(connection, projection), await startTestWorker(connection, projection)];
    const esdb = createEsdbClient(server.connectionString);
    const redis = await newRedisClient();
    try {
      const load = new CommandLoad(newCommandApi({ esdb }).yoga);
      await load.openAccounts(20);
      load.start(4);
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        await load.waitForAccepted(40);
        await server.stop(signal);
        server = await startEsdbProcess(dbDir, port);
      }
      // Accepted after the last restart: the command API reconnected.
      await load.waitForAccepted(40);
      await load.stop();
      // Commands sent while the server was down failed, and were retried with the same commandId.
      expect(load.failures).toBeGreaterThan(0);
      await expectLedgerConsistent(esdb, redis, projection, load, { checkGlobals: true });
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.stop()));
      await esdb.dispose();
    }
  });
});
