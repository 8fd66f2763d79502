// docker-compose.yml: one EventStoreDB, one Redis, both APIs and two projector workers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectEntryPoint, expectEnvironmentAccepted, ledgerlineServices, listeningPortOf, loadCompose, serviceNodeFlags } from './compose-support.ts';

const compose = loadCompose('docker-compose.yml');
const eventStorePort = Number(compose.environmentOf('eventstore').EVENTSTORE_NODE_PORT);
const services = ['command-api', 'query-api', 'projector'].map((name) => ledgerlineServices[name]!);

describe('docker-compose.yml', () => {
  it('runs the two servers, both APIs and the projector workers', () => {
    expect(compose.names).toEqual(['command-api', 'eventstore', 'projector', 'query-api', 'redis']);
    expect(compose.service('projector').deploy?.replicas).toBe(2);
  });

  it('runs EventStoreDB and Redis from pinned images, EventStoreDB with projections and its stream browser, Redis persistent', () => {
    expect(compose.service('eventstore').image).toMatch(/^eventstore\/eventstore:\d+\.\d+\.\d+/);
    expect(compose.service('redis').image).toMatch(/^redis:\d+\.\d+\.\d+/);
    expect(compose.environmentOf('eventstore')).toMatchObject({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'All',
      EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
      EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP: 'true',
    });
    expect(compose.service('eventstore').ports).toEqual([`${eventStorePort}:${eventStorePort}`]);
    expect(compose.service('redis').command?.join(' ')).toContain('--appendonly yes');
  });

  describe.each(services)('$name', (service) => {
    it('sets only variables its env schema knows, with values it accepts', () => {
      expectEnvironmentAccepted(compose, service);
    });

    it('publishes and health-checks the port it listens on, on every interface', () => {
      const listensOn = listeningPortOf(compose, service);
      for (const mapping of compose.service(service.name).ports) expect(mapping).toBe(`${listensOn}:${listensOn}`);
    });

    it('reaches the servers by their compose names and waits until they are healthy', () => {
      const env = compose.environmentOf(service.name);
      if (service.usesEventStore) expect(env.ESDB_CONNECTION_STRING).toMatch(new RegExp(`^esdb://eventstore:${eventStorePort}\\?`));
      if (service.usesRedis) expect(new URL(env.REDIS_URL ?? '').host).toBe('redis:6379');
      const servers = [...(service.usesEventStore ? ['eventstore'] : []), ...(service.usesRedis ? ['redis'] : [])];
      expect(compose.service(service.name).depends_on).toEqual(Object.fromEntries(servers.map((server) => [server, { condition: 'service_healthy' }])));
    });

    it('runs its compiled entry point from the image', () => {
      expectEntryPoint(compose, service.name);
    });

    it(`runs with the same V8 flags from \`npm run ${service.name}\``, () => {
      const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
      const flags = serviceNodeFlags(service.name);
      const expected = flags.length === 0 ? `tsx services/${service.name}/main.ts` : `node ${flags.join(' ')} --import tsx services/${service.name}/main.ts`;
      expect(scripts[service.name]).toBe(expected);
    });
  });
});
