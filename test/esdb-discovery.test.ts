// ESDB_CONNECTION_STRING in the cluster forms: gossip seeds (esdb://a,b,c) and DNS discovery
// (esdb+discover://name). The client first asks a node for the cluster's members (Gossip.Read) and then
// connects to the member nodePreference picks; the embedded server answers as a one-node cluster whose
// only member is the leader. Every service that takes the variable must work through both forms.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { END, jsonEvent, NotLeaderError } from '@eventstore/db-client';
import { Metadata, status } from '@grpc/grpc-js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { accountEvents, mutate, newCommandApi, openedAccount } from '../services/command-api/test-support.ts';
import { startEsdbMemory } from '../services/esdb-memory/index.ts';
import { parsedJson, ops } from '../services/ops/test-support.ts';
import { createEsdbClient, findFreePort, parseEsdbConnectionString, withEsdbHosts, type EsdbHost } from '../services/platform/index.ts';
import { defineAccountsProjection, groupNameOf } from '../services/projector/index.ts';
import { expectReadModelsMatchStreams } from '../services/projector/expect-read-models.ts';
import { startTestWorker } from '../services/projector/test-support.ts';
import { devEnvSchema } from '../scripts/dev/env.ts';
import { missingPrerequisite } from '../scripts/dev/prerequisites.ts';
import { waitForAccountsProjected } from './faults/expect-consistent.ts';
import { esdbConnectionString, newEsdbClient, newRedisClient, redisUrl } from './harness.ts';

const run = parseEsdbConnectionString(esdbConnectionString())!;
const preferLeader = (): string => {
  const options = new URLSearchParams(run.options);
  options.set('nodePreference', 'leader');
  return `?${options}`;
};
/** The run's server (or first node) in the form given, preferring the leader. */
const connectionString = (discover: boolean, hosts: readonly EsdbHost[]): string => withEsdbHosts({ discover, hosts, options: preferLeader() }, hosts);
const deadHosts = [{ host: '127.0.0.1', port: await findFreePort() }, { host: '127.0.0.1', port: await findFreePort() }];

const forms = [
  { form: 'esdb+discover://', connection: connectionString(true, run.hosts.slice(0, 1)) },
  // The seeds are asked in random order; a dead one is skipped.
  { form: 'gossip seeds, one of them dead', connection: connectionString(false, [deadHosts[0]!, ...run.hosts]) },
  // The documented multi-seed discover form; the first seed is dead, so this works only if every seed is asked.
  { form: 'esdb+discover:// with several seeds, the first dead', connection: connectionString(true, [deadHosts[0]!, ...run.hosts]) },
];

/** `npm run dev`'s settings with this store and the run's Redis; its own ports left to the system. */
const devEnvFor = (connection: string) =>
  devEnvSchema.parse({ ESDB_CONNECTION_STRING: connection, REDIS_URL: redisUrl(), COMMAND_API_PORT: 0, QUERY_API_PORT: 0, PROJECTOR_PORT: 0 });

const redis = await newRedisClient();
const clients = forms.map(({ connection }) => createEsdbClient(connection));
afterAll(() => Promise.all(clients.map((client) => client.dispose())));

describe.each(forms.map((form, index) => ({ ...form, esdb: clients[index]! })))('ESDB_CONNECTION_STRING as $form', ({ connection, esdb }) => {
  it('the command API accepts commands, a projector worker projects them, and ops sees its group', { timeout: 60_000 }, async () => {
    // Other tests write account streams too: this projection starts at the end and checks its own account.
    const projection = defineAccountsProjection({ name: `discover-${randomUUID().slice(0, 8)}` });
    const { worker } = await startTestWorker({ esdbConnectionString: connection, redisUrl: redisUrl() }, projection, { groupSettings: { startFrom: END } });
    try {
      const { yoga } = newCommandApi({ esdb });
      const accountId = randomUUID();
      expect(await mutate(yoga, 'openAccount', { accountId, holderName: 'Gossip Reader', currency: 'EUR' })).toMatchObject({ __typename: 'CommandAccepted' });
      expect(await mutate(yoga, 'depositMoney', { accountId, amount: '12.50', currency: 'EUR' })).toMatchObject({ __typename: 'CommandAccepted', revision: 1 });
      await waitForAccountsProjected(esdb, redis, projection, [accountId]);
      await expectReadModelsMatchStreams(esdb, redis, projection, [accountId], { checkGlobals: false });

      const info = await ops(['subscriptions', 'info', groupNameOf(projection), '--json'], false, { ESDB_CONNECTION_STRING: connection });
      expect(info.code).toBe(0);
      expect(parsedJson(info)).toMatchObject({ group: groupNameOf(projection) });
    } finally {
      await worker.stop();
    }
  });

  it("the dev launcher's prerequisite probe finds the server", async () => {
    expect(await missingPrerequisite(devEnvFor(connection))).toBeUndefined();
  });
});

describe('when no node answers', () => {
  it.each([
    { form: 'esdb+discover://', connection: connectionString(true, deadHosts.slice(0, 1)) },
    { form: 'gossip seeds', connection: connectionString(false, deadHosts) },
  ])('through $form the dev launcher and ops say so, and a command answers the typed StoreUnavailable', async ({ connection }) => {
    expect(await missingPrerequisite(devEnvFor(connection))).toBe(
      `No EventStoreDB answers at ${connection}: start it ('docker compose up -d eventstore') or unset ESDB_CONNECTION_STRING to use the embedded server.`,
    );
    const listed = await ops(['subscriptions', 'list'], false, { ESDB_CONNECTION_STRING: connection });
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`(no EventStoreDB answered at ${connection}; is it running?)`);
    // Discovery that finds no member fails with a plain Error in the client; it is still "store unreachable".
    const dead = createEsdbClient(connection);
    try {
      const result = await mutate(newCommandApi({ esdb: dead }).yoga, 'closeAccount', { accountId: randomUUID(), commandId: 'retry-me' });
      expect(result).toMatchObject({ __typename: 'StoreUnavailable', commandId: 'retry-me' });
    } finally {
      await dead.dispose();
    }
  });

  it('a client whose discovery found no node works again once a node answers, without a restart', { timeout: 30_000 }, async () => {
    const { port } = deadHosts[1]!;
    const client = createEsdbClient(connectionString(true, [{ host: '127.0.0.1', port }]));
    const append = () => client.appendToStream(`discover-${randomUUID()}`, jsonEvent({ type: 'Probed', data: {} }));
    try {
      await expect(append()).rejects.toThrow(/^Failed to discover/);
      const server = await startEsdbMemory({ port });
      try {
        let appended = false;
        for (let attempt = 0; attempt < 50 && !appended; attempt++) {
          appended = await append().then(() => true, () => sleep(100).then(() => false));
        }
        expect(appended).toBe(true);
      } finally {
        await server.stop();
      }
    } finally {
      await client.dispose();
    }
  });
});

describe('a leader change under the command API', () => {
  it('a write that reaches a node no longer leader answers StoreUnavailable; its retry records it once', async () => {
    const esdb = newEsdbClient();
    const { yoga } = newCommandApi({ esdb });
    const accountId = await openedAccount(yoga);
    // What the old leader answers a leader-only call during an election, as the client raises it.
    const metadata = new Metadata();
    metadata.set('exception', 'not-leader');
    metadata.set('leader-endpoint-host', run.hosts[0]!.host);
    metadata.set('leader-endpoint-port', String(run.hosts[0]!.port));
    const notLeader = new NotLeaderError(Object.assign(new Error('Leader info available'), { code: status.NOT_FOUND, details: '', metadata }));
    vi.spyOn(esdb, 'appendToStream').mockRejectedValueOnce(notLeader);
    const input = { accountId, commandId: randomUUID(), amount: '5.00', currency: 'EUR' };
    expect(await mutate(yoga, 'depositMoney', input)).toMatchObject({ __typename: 'StoreUnavailable', commandId: input.commandId });
    expect(await mutate(yoga, 'depositMoney', input)).toMatchObject({ __typename: 'CommandAccepted', revision: 1 });
    expect(await mutate(yoga, 'depositMoney', input)).toMatchObject({ __typename: 'CommandAccepted', revision: 1 });
    expect((await accountEvents(esdb, accountId)).map((event) => event.type)).toEqual(['AccountOpened', 'MoneyDeposited']);
  });
});
