// Running benchmarks: one at a time through its own npm script, or all of them through run-all.ts.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stopChildProcesses } from './child-processes.ts';
import type { Benchmark, BenchmarkResult, Settings } from './figures.ts';
import { describeMachine, formatTable, type RunReport } from './report.ts';

const flagOf = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** Runs one benchmark and stops whatever child processes it started, even when it fails. */
export async function runBenchmark<S extends Settings>(benchmark: Benchmark<S>, settings: S): Promise<BenchmarkResult> {
  const started = performance.now();
  try {
    const figures = await benchmark.run(settings);
    return { benchmark: benchmark.name, settings, seconds: (performance.now() - started) / 1000, figures };
  } finally {
    await stopChildProcesses();
  }
}

export type RunStart = Pick<RunReport, 'startedAt' | 'machine'>;

/** Taken before anything runs, so the load average is the other load on the machine, not ours. */
export const startRun = (): RunStart => ({ startedAt: new Date().toISOString(), machine: describeMachine() });

export const newReport = (mode: RunReport['mode'], start: RunStart, results: BenchmarkResult[]): RunReport => ({ ...start, mode, results });

/**
 * When `moduleUrl` is the script node was started with (its npm script), runs its benchmark: short
 * sizes by default, --full for the large ones, any setting as --kebab-name value; --json for machines.
 */
export async function runIfMain<S extends Settings>(moduleUrl: string, benchmark: Benchmark<S>): Promise<void> {
  const script = process.argv[1];
  if (script === undefined || pathToFileURL(resolve(script)).href !== moduleUrl) return;
  const settingFlags: Record<string, { type: 'string' }> = Object.fromEntries(
    Object.keys(benchmark.short).map((key) => [flagOf(key), { type: 'string' as const }]),
  );
  const { values } = parseArgs({
    options: { full: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, ...settingFlags },
  });
  const given: Record<string, unknown> = values;
  const settings: Settings = { ...(values.full ? benchmark.full : benchmark.short) };
  for (const key of Object.keys(settings)) {
    const value = given[flagOf(key)];
    if (typeof value !== 'string') continue;
    if (!Number.isFinite(Number(value))) {
      process.stderr.write(`--${flagOf(key)} takes a number, not ${JSON.stringify(value)}\n`);
      process.exit(2);
    }
    settings[key] = Number(value);
  }
  const start = startRun();
  const report = newReport(values.full ? 'full' : 'short', start, [await runBenchmark(benchmark, settings as S)]);
  process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : formatTable(report).table}\n`);
  process.exit(0);
}
