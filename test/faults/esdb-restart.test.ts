// The embedded server (--db) is killed and started again on the same data directory and port while
// commands, projections and transfers flow. To a client of a cluster, a leader change looks the same:
// its calls and subscriptions fail (Unavailable, or NotLeader from the old leader) and it finds the
// leader again through gossip. So every client here connects as to a cluster (esdb+discover://,
// leader preferred): the command API, three projector workers in one group and the transfers process
// manager must reconnect and rejoin by themselves, and the ledger must end consistent.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { newCommandApi } from '../../services/command-api/test-support.ts';
import { createEsdbClient, createLogger, findFreePort, parseEsdbConnectionString, withEsdbHosts } from '../../services/platform/index.ts';
import { defineAccountsProjection } from '../../services/projector/index.ts';
import { counterValue, startTestWorker } from '../../services/projector/test-support.ts';
import { createTransferMetrics, TransferProcessManager } from '../../services/transfers/index.ts';
import { redisUrl } from '../harness.ts';
import { CommandLoad } from './command-load.ts';
import { startEsdbProcess, type EsdbProcess } from './esdb-process.ts';
import { expectLedgerConsistent } from './expect-consistent.ts';
import { TransferLoad } from './transfer-load.ts';

/** The server's address as a cluster client gives it: discover the members by gossip, prefer the leader. */
function asClusterClient(connectionString: string): string {
  const connection = parseEsdbConnectionString(connectionString)!;
  return withEsdbHosts({ ...connection, discover: true, options: `${connection.options}&nodePreference=leader` }, connection.hosts);
}

describe('the event store restarts while commands, projections and transfers flow', () => {
  let server: EsdbProcess | undefined;
  let dbDir = '';
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (dbDir !== '') await rm(dbDir, { recursive: true, force: true });
  });

  it('clients rediscover the server; workers and the process manager rejoin; nothing acknowledged is lost or doubled', { timeout: 90_000 }, async () => {
    dbDir = await mkdtemp(join(tmpdir(), 'faults-esdb-'));
    const port = await findFreePort();
    server = await startEsdbProcess(dbDir, port);
    const esdbConnectionString = asClusterClient(server.connectionString);
    expect(esdbConnectionString).toMatch(/^esdb\+discover:\/\/.*nodePreference=leader/);
    const connection = { esdbConnectionString, redisUrl: redisUrl() };
    // The server is this test's own, so the projection sees only this test's accounts.
    const projection = defineAccountsProjection({ name: `faults-esdb-${randomUUID().slice(0, 8)}` });
    const workers = await Promise.all([1, 2, 3].map(() => startTestWorker(connection, projection)));
    const managerRegistry = new Registry();
    const manager = new TransferProcessManager({
      esdbConnectionString, log: createLogger('transfers-test').child({}, { level: 'silent' }), metrics: createTransferMetrics(managerRegistry),
    });
    await manager.start();
    const esdb = createEsdbClient(esdbConnectionString);
    const redis = createClient({ url: redisUrl() });
    await redis.connect();
    try {
      const { yoga } = newCommandApi({ esdb });
      const load = new CommandLoad(yoga);
      const transfers = new TransferLoad(yoga);
      await load.openAccounts(20);
      await transfers.start('1000.00', 100);
      load.start(4);
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        await load.waitForAccepted(40);
        await server.stop(signal);
        server = await startEsdbProcess(dbDir, port);
      }
      // Accepted after the last restart: the command API reconnected.
      await load.waitForAccepted(40);
      await load.stop();
      await transfers.stop();
      // Commands sent while the server was down failed, and were retried with the same commandId.
      expect(load.failures).toBeGreaterThan(0);
      await transfers.expectAllCompleted(esdb);
      await expectLedgerConsistent(esdb, redis, projection, load, { checkGlobals: true, alsoProjected: transfers.accountIds });
      // Each member felt both restarts as dropped subscriptions, rejoined, and is ready again.
      for (const { worker, registry } of workers) {
        expect(await counterValue(registry, 'projector_subscription_drops_total')).toBeGreaterThanOrEqual(2);
        expect(worker.ready).toBe(true);
      }
      expect(await counterValue(managerRegistry, 'transfers_subscription_drops_total')).toBeGreaterThanOrEqual(2);
      expect(manager.ready).toBe(true);
    } finally {
      await Promise.all([manager.stop(), ...workers.map(({ worker }) => worker.stop())]);
      await esdb.dispose();
      redis.destroy();
    }
  });
});
