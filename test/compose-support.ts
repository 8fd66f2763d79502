// Docker cannot run here, so the compose files are checked against what the services actually read:
// their zod env schemas, ports, health endpoints, entry points and the compose names of the servers.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { z } from 'zod';
import { commandApiEnvSchema } from '../services/command-api/index.ts';
import { COMMAND_API_NODE_FLAGS } from '../services/command-api/node-flags.ts';
import { PROJECTOR_NODE_FLAGS } from '../services/projector/node-flags.ts';
import { projectorEnvSchema } from '../services/projector/index.ts';
import { queryApiEnvSchema } from '../services/query-api/index.ts';
import { transfersEnvSchema } from '../services/transfers/index.ts';

const serviceSchema = z.looseObject({
  image: z.string(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  ports: z.array(z.string()).default([]),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).default({}),
  deploy: z.object({ replicas: z.number() }).optional(),
  networks: z.record(z.string(), z.object({ aliases: z.array(z.string()).default([]) })).default({}),
});
export type ComposeService = z.output<typeof serviceSchema>;

export interface ComposeFile {
  readonly names: string[];
  service(name: string): ComposeService;
  /** The environment as the container sees it: every value a string. */
  environmentOf(name: string): Record<string, string>;
}

export function loadCompose(path: string): ComposeFile {
  const { services } = z.object({ services: z.record(z.string(), serviceSchema) }).parse(parse(readFileSync(path, 'utf8'), { merge: true }));
  const service = (name: string): ComposeService => {
    const found = services[name];
    if (found === undefined) throw new Error(`${path} has no service '${name}'`);
    return found;
  };
  return {
    names: Object.keys(services).sort(),
    service,
    environmentOf: (name) => Object.fromEntries(Object.entries(service(name).environment).map(([key, value]) => [key, String(value)])),
  };
}

export interface LedgerlineService {
  readonly name: string;
  readonly schema: z.ZodObject;
  /** Its variables are <prefix>_PORT and <prefix>_HOST. */
  readonly variablePrefix: string;
  readonly usesEventStore: boolean;
  readonly usesRedis: boolean;
}

export const ledgerlineServices: Record<string, LedgerlineService> = {
  'command-api': { name: 'command-api', schema: commandApiEnvSchema, variablePrefix: 'COMMAND_API', usesEventStore: true, usesRedis: true },
  'query-api': { name: 'query-api', schema: queryApiEnvSchema, variablePrefix: 'QUERY_API', usesEventStore: false, usesRedis: true },
  projector: { name: 'projector', schema: projectorEnvSchema, variablePrefix: 'PROJECTOR', usesEventStore: true, usesRedis: true },
  // The transfers process manager drives transfers through EventStoreDB only.
  transfers: { name: 'transfers', schema: transfersEnvSchema, variablePrefix: 'TRANSFERS', usesEventStore: true, usesRedis: false },
};

const buildEntryPoints: string[] = JSON.parse(readFileSync('tsconfig.build.json', 'utf8').replace(/^\s*\/\/.*$/gm, '')).files;

/** Every variable is one the service's env schema knows, with a value it accepts. */
export function expectEnvironmentAccepted(compose: ComposeFile, { name, schema }: LedgerlineService): void {
  const parsed = schema.strict().safeParse(compose.environmentOf(name));
  expect(parsed.error && z.prettifyError(parsed.error)).toBeUndefined();
}

/** The port the service listens on (on every interface), and its health check asks /health or /ready there. */
export function listeningPortOf(compose: ComposeFile, { name, schema, variablePrefix }: LedgerlineService): number {
  const env: Record<string, unknown> = schema.parse(compose.environmentOf(name));
  const listensOn = Number(env[`${variablePrefix}_PORT`]);
  expect(env[`${variablePrefix}_HOST`]).toBe('0.0.0.0');
  const healthTest = compose.service(name).healthcheck?.test.join(' ') ?? '';
  const healthUrl = new URL(/https?:\/\/[^'"\s)]+/.exec(healthTest)?.[0] ?? 'http://missing');
  expect(['127.0.0.1', 'localhost']).toContain(healthUrl.hostname);
  expect(Number(healthUrl.port)).toBe(listensOn);
  expect(['/health', '/ready']).toContain(healthUrl.pathname);
  return listensOn;
}

/** The V8 flags each service runs with, where it has any (services/<name>/node-flags.ts). */
export const serviceNodeFlags = (name: string): readonly string[] =>
  ({ 'command-api': COMMAND_API_NODE_FLAGS, projector: PROJECTOR_NODE_FLAGS })[name] ?? [];

/** It runs its compiled entry point from the image, with the service's V8 flags. */
export function expectEntryPoint(compose: ComposeFile, name: string): void {
  const command = compose.service(name).command ?? [];
  expect(command[0]).toBe('node');
  expect(command.at(-1)).toBe(`dist/services/${name}/main.js`);
  expect(buildEntryPoints).toContain(`services/${name}/main.ts`);
  expect(command.slice(1, -1)).toEqual(serviceNodeFlags(name));
}
