import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { findFreePort, redisEnvOf } from '../services/platform/index.ts';
import { staffHeaders, TEST_AUTH_SECRET } from './auth-support.ts';
import { redisTarget } from './harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function runNode(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('query API isolation from EventStoreDB', () => {
  it('has no import of the EventStoreDB client in its code', async () => {
    const results = await new ESLint({ cwd: root }).lintFiles(['services/query-api/**/*.ts']);
    const restricted = results.flatMap((result) => result.messages.filter((message) => message.ruleId === 'no-restricted-imports'));
    expect(results.length).toBeGreaterThan(5);
    expect(restricted).toEqual([]);
  });

  it('does not load the EventStoreDB client, not even through another service it imports', async () => {
    const probe = `
      import { createRequire } from 'node:module';
      await import('./services/query-api/index.ts');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ modules: loaded.length, eventStore: loaded.filter((path) => path.includes('@eventstore')) }));`;
    const child = runNode(['--input-type=module', '-e', probe]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const report = JSON.parse(output) as { modules: number; eventStore: string[] };
    // The probe sees CommonJS modules (graphql, redis…), so an empty list is not an empty cache.
    expect(report.modules).toBeGreaterThan(10);
    expect(report.eventStore).toEqual([]);
  });

  it('starts, becomes ready and answers queries with EventStoreDB unreachable, and stops on SIGTERM', async () => {
    const port = await findFreePort();
    const child = runNode(['services/query-api/main.ts'], {
      QUERY_API_PORT: String(port), QUERY_API_HOST: '127.0.0.1', ...redisEnvOf(redisTarget()), LOG_LEVEL: 'warn',
      QUERY_PROJECTION: `isolated-${randomUUID().slice(0, 8)}`, AUTH_JWT_SECRET: TEST_AUTH_SECRET,
      // Nothing listens here; the query API must not care.
      ESDB_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      let ready: Response | undefined;
      for (let attempt = 0; attempt < 200 && ready?.status !== 200; attempt++) {
        ready = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
        if (ready?.status !== 200) await sleep(50);
      }
      expect(ready?.status, stderr).toBe(200);
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...staffHeaders }, body: JSON.stringify({ query: '{ stats { openAccounts events } }' }),
      });
      expect(await answer.json()).toEqual({ data: { stats: { openAccounts: 0, events: 0 } } });
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code, stderr).toBe(0);
  });
});
