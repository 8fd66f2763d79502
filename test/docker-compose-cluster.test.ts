// docker-compose.cluster.yml: a 3-node EventStoreDB cluster, a Redis Cluster, replicas of every service.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEsdbConnectionString } from '../services/platform/index.ts';
import { expectEntryPoint, expectEnvironmentAccepted, ledgerlineServices, listeningPortOf, loadCompose } from './compose-support.ts';

const compose = loadCompose('docker-compose.cluster.yml');
const single = loadCompose('docker-compose.yml');
const eventStoreNodes = ['eventstore1', 'eventstore2', 'eventstore3'];
const redisNodes = ['redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5', 'redis-6'];
const nodePortOf = (node: string): number => Number(compose.environmentOf(node).EVENTSTORE_NODE_PORT);
const [clusterName, clusterPort] = ['eventstore', 2113] as const;
const replicas = { 'command-api': 2, 'query-api': 2, projector: 3, transfers: 1 };
const services = Object.keys(replicas).map((name) => ledgerlineServices[name]!);
const afterEventStore = Object.fromEntries(eventStoreNodes.map((node) => [node, { condition: 'service_healthy' }]));
const afterRedisCluster = { 'redis-cluster-init': { condition: 'service_completed_successfully' } };
const gatewayConfig = readFileSync('docker/cluster-gateway.conf', 'utf8');

/**
 * REDIS_CLUSTER_NODES as the Redis Cluster support reads it (host:port,…). Checked here against the
 * compose file's own Redis nodes; the variable is left out of the schema check while a service's env
 * schema does not know it yet.
 */
const redisClusterNodesExpected = redisNodes.map((node) => `${node}:6379`).join(',');
const unknownToSchema = (name: string): string[] =>
  'REDIS_CLUSTER_NODES' in ledgerlineServices[name]!.schema.shape ? [] : ['REDIS_CLUSTER_NODES'];

describe('docker-compose.cluster.yml', () => {
  it('runs three EventStoreDB nodes, six Redis nodes, the APIs, projector workers, transfers and a gateway', () => {
    expect(compose.names).toEqual(
      [...eventStoreNodes, ...redisNodes, 'redis-cluster-init', 'command-api', 'query-api', 'projector', 'transfers', 'gateway'].sort(),
    );
    for (const [name, count] of Object.entries(replicas)) expect(compose.service(name).deploy?.replicas ?? 1).toBe(count);
  });

  it('makes the EventStoreDB nodes one insecure 3-node cluster, each gossiping with the two others by compose name', () => {
    for (const node of eventStoreNodes) {
      expect(compose.service(node).image).toBe(single.service('eventstore').image);
      const env = compose.environmentOf(node);
      expect(env).toMatchObject({
        EVENTSTORE_CLUSTER_SIZE: String(eventStoreNodes.length),
        EVENTSTORE_DISCOVER_VIA_DNS: 'false',
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'All',
        EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
        EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP: 'true',
        EVENTSTORE_NODE_HOST_ADVERTISE_AS: node,
        EVENTSTORE_REPLICATION_HOST_ADVERTISE_AS: node,
      });
      const others = eventStoreNodes.filter((other) => other !== node);
      expect(env.EVENTSTORE_GOSSIP_SEED?.split(',')).toEqual(others.map((other) => `${other}:${nodePortOf(other)}`));
      expect(compose.service(node).healthcheck?.test.join(' ')).toContain(`localhost:${nodePortOf(node)}/health/live`);
      // The name the services discover the cluster by resolves to every node.
      expect(compose.service(node).networks.default?.aliases).toEqual([clusterName]);
      expect(nodePortOf(node)).toBe(clusterPort);
    }
    // Each node's web UI on its own host port.
    const published = eventStoreNodes.map((node) => compose.service(node).ports);
    expect(published.flat().map((mapping) => mapping.split(':')[1])).toEqual(eventStoreNodes.map((node) => String(nodePortOf(node))));
    expect(new Set(published.flat().map((mapping) => mapping.split(':')[0])).size).toBe(eventStoreNodes.length);
  });

  it('makes six Redis nodes one cluster of 3 masters with a replica each, created once by a one-shot container', () => {
    for (const node of redisNodes) {
      expect(compose.service(node).image).toBe(single.service('redis').image.replace(/-alpine$/, ''));
      const startsWith = `${compose.service(node).command?.join(' ')} ${compose.environmentOf(node).REDIS_FLAGS}`;
      expect(startsWith).toContain(`--cluster-announce-hostname ${node}`);
      expect(startsWith).toContain('--cluster-enabled yes');
      expect(startsWith).toContain('--appendonly yes');
    }
    const init = compose.service('redis-cluster-init');
    expect(compose.environmentOf('redis-cluster-init').REDIS_CLUSTER_NODES).toBe(redisClusterNodesExpected);
    expect(init.command?.join(' ')).toContain('--cluster-replicas 1 --cluster-yes');
    expect(init.depends_on).toEqual(Object.fromEntries(redisNodes.map((node) => [node, { condition: 'service_healthy' }])));
  });

  it('lets clients in through a gateway that spreads requests over the API replicas', () => {
    const gateway = compose.service('gateway');
    for (const name of ['command-api', 'query-api']) {
      const port = listeningPortOf(compose, ledgerlineServices[name]!);
      expect(gatewayConfig).toContain(`server ${name}:${port};`);
      expect(gatewayConfig).toContain(`listen ${port};`);
      expect(gateway.ports).toContain(`${port}:${port}`);
      expect(gateway.depends_on[name]).toEqual({ condition: 'service_healthy' });
    }
  });

  describe.each(services)('$name', (service) => {
    it('sets only variables its env schema knows, with values it accepts', () => {
      expectEnvironmentAccepted(compose, service, unknownToSchema(service.name));
    });

    it('health-checks the port it listens on and publishes none (its replicas could not share one)', () => {
      listeningPortOf(compose, service);
      expect(compose.service(service.name).ports).toEqual([]);
    });

    it('finds the EventStoreDB leader by gossip through the name of all nodes, reaches the Redis Cluster, and waits for both', () => {
      const env = compose.environmentOf(service.name);
      if (service.usesEventStore) {
        const connection = parseEsdbConnectionString(env.ESDB_CONNECTION_STRING ?? '');
        expect(connection?.discover).toBe(true);
        expect(connection?.hosts).toEqual([{ host: clusterName, port: clusterPort }]);
        expect(Object.fromEntries(new URLSearchParams(connection?.options))).toEqual({ tls: 'false', nodePreference: 'leader' });
      }
      if (service.usesRedis) {
        expect(env.REDIS_CLUSTER_NODES).toBe(redisClusterNodesExpected);
        expect(env.REDIS_URL).toBeUndefined();
      }
      expect(compose.service(service.name).depends_on).toEqual({
        ...(service.usesEventStore ? afterEventStore : {}),
        ...(service.usesRedis ? afterRedisCluster : {}),
      });
    });

    it('runs its compiled entry point from the image', () => {
      expectEntryPoint(compose, service.name);
    });
  });
});
