// The network between the services and their stores turns bad while commands and projections flow:
// a TCP proxy in front of EventStoreDB and Redis first adds latency, then drops every connection,
// several times. Clients must reconnect by themselves and the ledger must end consistent.
import { randomUUID } from 'node:crypto';
import { END } from '@eventstore/db-client';
import { describe, it } from 'vitest';
import { newCommandApi } from '../../services/command-api/test-support.ts';
import { createEsdbClient, startRedisServer } from '../../services/platform/index.ts';
import { defineAccountsProjection } from '../../services/projector/index.ts';
import { startTestWorker } from '../../services/projector/test-support.ts';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisTarget } from '../harness.ts';
import { CommandLoad } from './command-load.ts';
import { expectLedgerConsistent } from './expect-consistent.ts';
import { proxied } from './tcp-proxy.ts';

describe('a flaky network in front of the event store and Redis', () => {
  it('slow and dropped connections lose nothing acknowledged and double nothing', { timeout: 90_000 }, async () => {
    const store = await proxied(esdbConnectionString());
    // A proxy can stand between a client and one Redis node only (a cluster client dials every node's own
    // address), so on a Redis Cluster run this test uses a Redis node of its own.
    const runTarget = redisTarget();
    const ownRedis = runTarget.kind === 'cluster' ? await startRedisServer() : undefined;
    const redisNode = { kind: 'node', url: ownRedis?.url ?? (runTarget.kind === 'node' ? runTarget.url : '') } as const;
    const cache = await proxied(redisNode.url);
    const proxies = [store.proxy, cache.proxy];
    // The command API writes account streams shared with the other tests, so the projection starts at
    // the end of $all and the check below compares this test's accounts only.
    const projection = defineAccountsProjection({ name: `faults-net-${randomUUID().slice(0, 8)}` });
    const connection = { esdbConnectionString: store.url, redisTarget: { kind: 'node', url: cache.url } } as const;
    const options = { groupSettings: { startFrom: END } } as const;
    const workers = [await startTestWorker(connection, projection, options), await startTestWorker(connection, projection, options)];
    const commandsEsdb = createEsdbClient(store.url);
    const load = new CommandLoad(newCommandApi({ esdb: commandsEsdb }).yoga);
    const redis = await newRedisClient(redisNode);
    try {
      await load.openAccounts(10);
      load.start(4);
      proxies.forEach((proxy) => proxy.setLatency(40));
      await load.waitForAccepted(40);
      proxies.forEach((proxy) => proxy.setLatency(0));
      for (let drop = 0; drop < 3; drop++) {
        await load.waitForAccepted(40);
        proxies.forEach((proxy) => proxy.dropConnections());
      }
      // Accepted after the last drop: the command API reconnected.
      await load.waitForAccepted(40);
      await load.stop();
      await expectLedgerConsistent(newEsdbClient(), redis, projection, load, { checkGlobals: false });
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.stop()));
      await commandsEsdb.dispose();
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await ownRedis?.stop();
    }
  });
});
