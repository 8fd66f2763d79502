import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const services = ['domain', 'platform', 'esdb-memory', 'command-api', 'projector', 'query-api', 'ops', 'transfers'];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Besides index.ts, a service may name pure modules (no I/O, no imports of clients) as public too, for
// readers that must not load what its index pulls in: query-api reads the projector's key layout
// without loading the EventStoreDB client that the projector's index brings along.
const pureFaces = { projector: ['read-model-keys.ts'] };

// Tests may also use another service's test-support.ts (its fixtures), as the tests under test/ do.
const testFaces = ['test-support.ts'];

// A service's index.ts is its public face: reaching past it into another service's files is forbidden.
const otherServiceInternals = (own, extraFaces = []) =>
  services
    .filter((service) => service !== own)
    .map((service) => ({
      regex: `^(\\.\\./)+(services/)?${escapeRegex(service)}(/(?!(${['index.ts', ...(pureFaces[service] ?? []), ...extraFaces].map(escapeRegex).join('|')})$).*)?$`,
      message: `Import services/${service} only through its public face '../${service}/index.ts'.`,
    }));

const eventStoreClient = {
  regex: '^@eventstore/db-client(/.*)?$',
  message: 'query-api reads Redis only; it never talks to EventStoreDB.',
};

const ioLibraries = {
  regex: '^((node:)?(fs|net|http)(/.*)?|redis(/.*)?|@redis/.*|@eventstore/db-client(/.*)?|graphql-yoga(/.*)?|@grpc/grpc-js(/.*)?|pino(/.*)?)$',
  message: 'domain is pure: no I/O libraries. Do I/O in the service that calls the domain.',
};

const extraPatterns = {
  domain: [ioLibraries],
  'query-api': [eventStoreClient],
};

const boundaryRules = services.flatMap((service) => [
  {
    files: [`services/${service}/**/*.{ts,js}`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...otherServiceInternals(service), ...(extraPatterns[service] ?? [])] }],
    },
  },
  {
    files: [`services/${service}/**/*.test.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...otherServiceInternals(service, testFaces), ...(extraPatterns[service] ?? [])] }],
    },
  },
]);

export default defineConfig(
  { ignores: ['node_modules/', '.data/', 'bench-results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaryRules,
);
