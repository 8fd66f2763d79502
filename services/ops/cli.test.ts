import { describe, expect, it } from 'vitest';
import { ExitCode } from './command.ts';
import { ops } from './test-support.ts';

describe('ops command line', () => {
  it('help lists every command form', async () => {
    const run = await ops(['help']);
    expect(run.code).toBe(ExitCode.ok);
    for (const form of ['subscriptions list', 'subscriptions info <group>', 'subscriptions reset <group>', 'parked list <group>', 'parked replay <group>', 'rebuild <projection>', 'streams read <stream']) {
      expect(run.stdout).toContain(`npm run ops -- ${form}`);
    }
  });

  it.each([
    [['subscriptions'], 'Say which: list, info, reset.'],
    [['parked', 'purge', 'g'], "Unknown sub-command 'purge'; one of: list, replay."],
    [['parked', 'list', 'g', '--limit', 'ten'], "--limit must be a whole number of at least 1, not 'ten'."],
    [['parked', 'replay', 'g', '--stop-at', '-'], "--stop-at must be a whole number of at least 0, not '-'."],
    [['subscriptions', 'info'], 'Expected <group>, got none.'],
    [['rebuild'], 'Expected <projection>, got none.'],
  ])('%j is a usage error (exit code 2) that says what is wrong', async (argv, message) => {
    const run = await ops(argv);
    expect(run).toMatchObject({ code: ExitCode.usage, stdout: '' });
    expect(run.stderr.split('\n')[0]).toBe(message);
  });

  it('rebuild of a projection that does not exist says which ones do (exit code 3)', async () => {
    const run = await ops(['rebuild', 'acounts']);
    expect(run).toMatchObject({ code: ExitCode.notFound, stdout: '', stderr: "No projection named 'acounts'. Known: accounts, transfers.\n" });
  });
});
