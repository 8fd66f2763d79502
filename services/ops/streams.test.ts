import { jsonEvent } from '@eventstore/db-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { ExitCode } from './command.ts';
import { ops, parsedLines } from './test-support.ts';

interface Line {
  stream: string;
  revision: number;
  position: string | null;
  type: string;
  data: unknown;
  metadata: unknown;
}

const revisions = (lines: unknown[]): number[] => (lines as Line[]).map((line) => line.revision);
const cursorOf = (stdout: string): string | undefined => /More: add --from (\S+)/.exec(stdout)?.[1];

describe('ops streams read', () => {
  const stream = uniqueStreamName('ops-read');

  beforeAll(async () => {
    const esdb = newEsdbClient();
    for (let n = 0; n < 5; n++) {
      await esdb.appendToStream(stream, jsonEvent({ type: n === 0 ? 'AccountOpened' : 'MoneyDeposited', data: { n }, metadata: { schemaVersion: 1, actor: 'teller-7' } }));
    }
  });

  it('prints one JSON object per event with stream, revision, position, type, time, data and metadata', async () => {
    const run = await ops(['streams', 'read', stream, '--json']);
    expect(run.code).toBe(ExitCode.ok);
    const lines = parsedLines(run) as Line[];
    expect(revisions(lines)).toEqual([0, 1, 2, 3, 4]);
    expect(lines[1]).toEqual({
      stream, revision: 1, position: expect.stringMatching(/^C:\d+\/P:\d+$/), eventId: expect.any(String), type: 'MoneyDeposited',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), data: { n: 1 }, metadata: { schemaVersion: 1, actor: 'teller-7' },
    });
  });

  it('reads newest first with --backwards, pages with --limit, and says where the next page starts', async () => {
    const first = await ops(['streams', 'read', stream, '--backwards', '--limit', '2']);
    expect(first.code).toBe(ExitCode.ok);
    expect(first.stdout.indexOf(`${stream}@4`)).toBeLessThan(first.stdout.indexOf(`${stream}@3`));
    expect(first.stdout).not.toContain(`${stream}@2`);
    expect(first.stdout).toContain('"actor": "teller-7"');
    expect(cursorOf(first.stdout)).toBe('2');

    const rest = await ops(['streams', 'read', stream, '--backwards', '--from', '2', '--json']);
    expect(revisions(parsedLines(rest))).toEqual([2, 1, 0]);
    const forwards = await ops(['streams', 'read', stream, '--from', '3', '--json']);
    expect(revisions(parsedLines(forwards))).toEqual([3, 4]);
  });

  it.each([['backwards'], ['forwards']])('pages through $all %s without gaps or repeats', async (direction) => {
    // Anchored in this stream (its last event backwards, its first forwards), so there are at least 5
    // events to page through, and events other tests append cannot shift the pages.
    const anchorFlags = direction === 'backwards' ? ['--backwards'] : [];
    const [anchor] = parsedLines(await ops(['streams', 'read', stream, ...anchorFlags, '--limit', '1', '--json'])) as Line[];
    const flags = ['--from', anchor!.position!, ...(direction === 'backwards' ? ['--backwards'] : [])];
    const whole = parsedLines(await ops(['streams', 'read', '$all', ...flags, '--limit', '6', '--json'])) as Line[];
    const page = await ops(['streams', 'read', '$all', ...flags, '--limit', '3']);
    const cursor = cursorOf(page.stdout);
    expect(cursor).toBeDefined();
    const firstPage = parsedLines(await ops(['streams', 'read', '$all', ...flags, '--limit', '3', '--json'])) as Line[];
    const nextFlags = ['--from', cursor!, ...(direction === 'backwards' ? ['--backwards'] : [])];
    const secondPage = parsedLines(await ops(['streams', 'read', '$all', ...nextFlags, '--limit', '3', '--json'])) as Line[];
    expect(whole.length).toBeGreaterThanOrEqual(5);
    expect([...firstPage, ...secondPage].slice(0, whole.length).map((line) => line.position)).toEqual(whole.map((line) => line.position));
  });

  it('answers a stream that does not exist with exit code 3 and one sentence', async () => {
    const missing = uniqueStreamName('ops-missing');
    const run = await ops(['streams', 'read', missing]);
    expect(run).toMatchObject({ code: ExitCode.notFound, stdout: '', stderr: `Stream '${missing}' does not exist.\n` });
  });

  it.each([
    [[stream, '--from', 'C:1/P:1'], 'is not a stream revision'],
    [['$all', '--from', 'yesterday'], 'is not a $all position'],
    [[stream, '--limit', '0'], '--limit must be a whole number'],
    [[stream, '--sideways'], "Unknown option '--sideways'"],
    [[], 'Expected <stream>'],
  ])('refuses %j with exit code 2 and the usage', async (args, message) => {
    const run = await ops(['streams', 'read', ...args]);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('npm run ops -- streams read');
  });
});
