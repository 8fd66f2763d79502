// With --db, every acknowledged append survives kill -9: the server runs as a child process here,
// is killed mid-write, and restarted on the same directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EventStoreDBClient, StreamDeletedError, type JSONEventData } from '@eventstore/db-client';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../platform/index.ts';
import { collect, rejectionOf, testEvents } from './fidelity-support.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const dbDir = mkdtempSync(join(tmpdir(), 'esdb-durability-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dbDir, { recursive: true, force: true });
});

/** Starts `main.ts --db dbDir` and resolves once it says it is listening. */
const startServer = async (): Promise<{ child: ChildProcess; client: EventStoreDBClient }> => {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/esdb-memory/main.ts', '--port', String(port), '--db', dbDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const connectionString = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`esdb-memory exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('esdb-memory listening')) resolve((JSON.parse(line) as { connectionString: string }).connectionString);
    });
  });
  return { child, client: EventStoreDBClient.connectionString(connectionString) };
};

const killHard = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

interface Acknowledged {
  stream: string;
  event: JSONEventData;
  id: string;
  revision: bigint;
  commit: bigint;
}

describe('durability with --db', () => {
  it('kill -9 while appending loses no acknowledged event, keeps revisions, positions, metadata, tombstones and idempotency', async () => {
    const first = await startServer();
    await first.client.setStreamMetadata('durable-meta', { maxCount: 7, owner: 'ledger' });
    await first.client.appendToStream('durable-gone', testEvents(1));
    await first.client.tombstoneStream('durable-gone');

    const acknowledged: Acknowledged[] = [];
    let killed = false;
    const writer = async (stream: string) => {
      for (let revision = 0n; !killed; revision++) {
        const [event] = testEvents(1);
        try {
          const result = await first.client.appendToStream(stream, event!, { expectedRevision: revision === 0n ? 'no_stream' : revision - 1n });
          acknowledged.push({ stream, event: event!, id: event!.id, revision: result.nextExpectedRevision, commit: result.position!.commit });
        } catch {
          return;
        }
      }
    };
    const streams = Array.from({ length: 8 }, (_, i) => `durable-${i}`);
    let writersStopped = false;
    const writers = Promise.all(streams.map(writer)).finally(() => (writersStopped = true));
    while (acknowledged.length < 400 && !writersStopped) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(writersStopped).toBe(false);
    await killHard(first.child);
    killed = true;
    await writers;
    await first.client.dispose();

    const second = await startServer();
    try {
      for (const stream of streams) {
        const mine = acknowledged.filter((a) => a.stream === stream);
        const read = await collect(second.client.readStream(stream));
        expect(read.slice(0, mine.length).map((e) => [e.event!.id, e.event!.revision])).toEqual(mine.map((a) => [a.id, a.revision]));
      }
      for (const ack of acknowledged.filter((_, i) => i % 25 === 0)) {
        const [atPosition] = await collect(second.client.readAll({ fromPosition: { commit: ack.commit, prepare: ack.commit }, maxCount: 1 }));
        expect(atPosition!.event!.id).toBe(ack.id);
      }
      expect((await second.client.getStreamMetadata('durable-meta')).metadata).toEqual({ maxCount: 7, owner: 'ledger' });
      expect(await rejectionOf(collect(second.client.readStream('durable-gone')))).toBeInstanceOf(StreamDeletedError);

      const firstOfStream1 = acknowledged.find((a) => a.stream === 'durable-1' && a.revision === 0n)!;
      const lengthBefore = (await collect(second.client.readStream('durable-1'))).length;
      const retry = await second.client.appendToStream('durable-1', firstOfStream1.event, { expectedRevision: 'no_stream' });
      expect(retry.nextExpectedRevision).toBe(0n);
      expect(await collect(second.client.readStream('durable-1'))).toHaveLength(lengthBefore);

      const lastCommit = acknowledged.reduce((max, a) => (a.commit > max ? a.commit : max), 0n);
      const durable0 = await collect(second.client.readStream('durable-0'));
      const next = await second.client.appendToStream('durable-0', testEvents(1), { expectedRevision: BigInt(durable0.length - 1) });
      expect(next.nextExpectedRevision).toBe(BigInt(durable0.length));
      expect(next.position!.commit).toBeGreaterThan(lastCommit);
    } finally {
      await second.client.dispose();
      await killHard(second.child);
    }
  });
});
