import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports' && message.severity === 2)
    .map((message) => message.message);
}

describe('import boundaries', () => {
  it.each([
    ['services/command-api/handlers.ts', "import '../projector/worker.ts';"],
    ['services/ops/cli/subscriptions.ts', "export { x } from '../../query-api/schema.ts';"],
    ['services/projector/worker.ts', "import { x } from '../../services/domain/account/decide.ts';"],
    ['services/query-api/server.ts', "import '../platform/redis-server.ts';"],
    ['services/ops/subscriptions.ts', "import { startTestWorker } from '../projector/test-support.ts';"],
  ])('forbids %s from reaching into another service: %s', async (filePath, code) => {
    expect(await restrictedImportErrors(code, filePath)).toEqual([expect.stringContaining('public face')]);
  });

  it.each([
    ['services/command-api/handlers.ts', "import { x } from '../domain/index.ts';"],
    ['services/ops/cli/subscriptions.ts', "import { x } from '../../platform/index.ts';"],
    ['services/projector/worker.ts', "import { x } from './apply.ts';"],
    ['services/projector/workers/accounts.ts', "import { x } from '../apply.ts';"],
    ['test/e2e.test.ts', "import '../services/projector/worker.ts';"],
    // Tests use another service's fixtures, as the tests under test/ do.
    ['services/ops/subscriptions.test.ts', "import { startTestWorker } from '../projector/test-support.ts';"],
    // The projector's key layout is a pure public module: the query API reads keys without the projector's index.
    ['services/query-api/read-models.ts', "import { accountKeys } from '../projector/read-model-keys.ts';"],
  ])('allows %s to import %s', async (filePath, code) => {
    expect(await restrictedImportErrors(code, filePath)).toEqual([]);
  });

  it.each([
    "import { EventStoreDBClient } from '@eventstore/db-client';",
    "import '@eventstore/db-client';",
    "import type { ResolvedEvent } from '@eventstore/db-client';",
  ])('forbids query-api from importing the EventStoreDB client: %s', async (code) => {
    expect(await restrictedImportErrors(code, 'services/query-api/x.ts')).toEqual([
      expect.stringContaining('never talks to EventStoreDB'),
    ]);
  });

  it('allows query-api to import redis', async () => {
    expect(await restrictedImportErrors("import { createClient } from 'redis';", 'services/query-api/x.ts')).toEqual([]);
  });

  it.each([
    'redis',
    '@eventstore/db-client',
    'graphql-yoga',
    'node:fs',
    'node:fs/promises',
    'node:net',
    'node:http',
    'fs',
    'net',
    'http',
    '@grpc/grpc-js',
    'pino',
  ])('forbids domain from importing the I/O library %s', async (library) => {
    expect(await restrictedImportErrors(`import '${library}';`, 'services/domain/account/decide.ts')).toEqual([
      expect.stringContaining('domain is pure'),
    ]);
  });

  it('allows domain to import pure libraries and its own files', async () => {
    const code = "import { z } from 'zod';\nimport { randomUUID } from 'node:crypto';\nimport { x } from './money.ts';";
    expect(await restrictedImportErrors(code, 'services/domain/account/decide.ts')).toEqual([]);
  });
});
