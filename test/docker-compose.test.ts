// Docker cannot run here, so this checks docker-compose.yml against what the services actually read:
// their zod env schemas, ports, health endpoints and the compose names of the servers they use.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandApiEnvSchema } from '../services/command-api/index.ts';
import { COMMAND_API_NODE_FLAGS } from '../services/command-api/node-flags.ts';
import { projectorEnvSchema } from '../services/projector/index.ts';
import { queryApiEnvSchema } from '../services/query-api/index.ts';

const serviceSchema = z.looseObject({
  image: z.string(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  ports: z.array(z.string()).default([]),
  healthcheck: z.object({ test: z.array(z.string()) }),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).default({}),
  deploy: z.object({ replicas: z.number() }).optional(),
});
const compose = z
  .object({ services: z.record(z.string(), serviceSchema) })
  .parse(parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }));
const service = (name: string): z.output<typeof serviceSchema> => {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service '${name}'`);
  return found;
};
/** The environment as the container sees it: every value a string. */
const environmentOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(service(name).environment).map(([key, value]) => [key, String(value)]));
const buildEntryPoints: string[] = JSON.parse(readFileSync('tsconfig.build.json', 'utf8').replace(/^\s*\/\/.*$/gm, '')).files;

const eventStorePort = Number(environmentOf('eventstore').EVENTSTORE_NODE_PORT);

interface LedgerlineService {
  readonly name: string;
  readonly schema: z.ZodObject;
  /** Its variables are <prefix>_PORT and <prefix>_HOST. */
  readonly variablePrefix: string;
  readonly uses: ReadonlyArray<'eventstore' | 'redis'>;
}

const ledgerline: LedgerlineService[] = [
  { name: 'command-api', schema: commandApiEnvSchema, variablePrefix: 'COMMAND_API', uses: ['eventstore'] },
  { name: 'query-api', schema: queryApiEnvSchema, variablePrefix: 'QUERY_API', uses: ['redis'] },
  { name: 'projector', schema: projectorEnvSchema, variablePrefix: 'PROJECTOR', uses: ['eventstore', 'redis'] },
];

describe('docker-compose.yml', () => {
  it('runs the two servers, both APIs and the projector workers', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['command-api', 'eventstore', 'projector', 'query-api', 'redis']);
    expect(service('projector').deploy?.replicas).toBe(2);
  });

  it('runs EventStoreDB and Redis from pinned images, EventStoreDB with projections and its stream browser, Redis persistent', () => {
    expect(service('eventstore').image).toMatch(/^eventstore\/eventstore:\d+\.\d+\.\d+/);
    expect(service('redis').image).toMatch(/^redis:\d+\.\d+\.\d+/);
    expect(environmentOf('eventstore')).toMatchObject({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'All',
      EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
      EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP: 'true',
    });
    expect(service('eventstore').ports).toEqual([`${eventStorePort}:${eventStorePort}`]);
    expect(service('redis').command?.join(' ')).toContain('--appendonly yes');
  });

  describe.each(ledgerline)('$name', ({ name, schema, variablePrefix, uses }) => {
    it('sets only variables its env schema knows, with values it accepts', () => {
      const parsed = schema.strict().safeParse(environmentOf(name));
      expect(parsed.error && z.prettifyError(parsed.error)).toBeUndefined();
    });

    it('publishes and health-checks the port it listens on, on every interface', () => {
      const env: Record<string, unknown> = schema.parse(environmentOf(name));
      const listensOn = Number(env[`${variablePrefix}_PORT`]);
      expect(env[`${variablePrefix}_HOST`]).toBe('0.0.0.0');
      for (const mapping of service(name).ports) expect(mapping).toBe(`${listensOn}:${listensOn}`);
      const healthUrl = new URL(/https?:\/\/[^'"\s)]+/.exec(service(name).healthcheck.test.join(' '))?.[0] ?? 'http://missing');
      expect(['127.0.0.1', 'localhost']).toContain(healthUrl.hostname);
      expect(Number(healthUrl.port)).toBe(listensOn);
      expect(['/health', '/ready']).toContain(healthUrl.pathname);
    });

    it('reaches the servers by their compose names and waits until they are healthy', () => {
      const env = environmentOf(name);
      if (uses.includes('eventstore')) {
        expect(new URL(env.ESDB_CONNECTION_STRING ?? '').host).toBe(`eventstore:${eventStorePort}`);
      }
      if (uses.includes('redis')) expect(new URL(env.REDIS_URL ?? '').host).toBe('redis:6379');
      expect(service(name).depends_on).toEqual(Object.fromEntries(uses.map((server) => [server, { condition: 'service_healthy' }])));
    });

    it('runs its compiled entry point from the image', () => {
      const command = service(name).command ?? [];
      expect(command[0]).toBe('node');
      expect(command.at(-1)).toBe(`dist/services/${name}/main.js`);
      expect(buildEntryPoints).toContain(`services/${name}/main.ts`);
      if (name === 'command-api') expect(command.slice(1, -1)).toEqual(COMMAND_API_NODE_FLAGS);
    });
  });
});
