// npm run bench: every benchmark in scripts/bench, one after another (each would disturb the others on a
// 2-core machine), then one table of every figure beside its same-run baseline and the ratio.
//   --full              the large sizes (takes much longer)
//   --json              the whole report as JSON on stdout instead of the table
//   --only a,b          just these benchmarks
//   --out <file>        also write the report as JSON (e.g. bench-results/<name>.json)
//   --compare <file>    compare with a report written by --out; exits 1 on a regression beyond noise
//   --noise <fraction>  what counts as noise for --compare (default 0.25; see compareFigure in report.ts)
// bench-results/baseline.json is committed: the run the README's table comes from, to --compare with.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Benchmark, BenchmarkResult } from './figures.ts';
import { formatTable, type RunReport } from './report.ts';
import { newReport, runBenchmark, startRun } from './standalone.ts';

/** Adding a benchmark: a module here exporting `benchmark`, and its name in this list. */
const BENCHMARKS = [
  'esdb-memory',
  'esdb-persistent',
  'projector',
  'command-api',
  'query-api',
  'redis-client',
  'command-scaling',
  'projector-scaling',
  'query-scaling',
  'projector-workers',
  'query-replicas',
  'rebuild',
] as const;

/** Wrong arguments: say what is wrong, without a stack trace, and measure nothing. */
function fail(message: string): never {
  process.stderr.write(`npm run bench: ${message}\n`);
  process.exit(2);
}

function readReport(path: string): RunReport {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunReport;
  } catch (error) {
    return fail(`cannot read --compare ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    compare: { type: 'string' },
    noise: { type: 'string', default: '0.25' },
  },
});
const noise = Number(values.noise);
if (!(noise >= 0)) fail(`--noise takes a fraction such as 0.25, not ${values.noise}`);
const only = values.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !(BENCHMARKS as readonly string[]).includes(name)) ?? [];
if (unknown.length > 0) fail(`unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}`);
// Read before hours of measuring, so a wrong path fails at once.
const previous = values.compare === undefined ? undefined : readReport(values.compare);

const start = startRun();
const results: BenchmarkResult[] = [];
for (const name of BENCHMARKS.filter((name) => only === undefined || only.includes(name))) {
  const { benchmark } = (await import(`./${name}.ts`)) as { benchmark: Benchmark };
  process.stderr.write(`▶ ${name}\n`);
  const result = await runBenchmark(benchmark, values.full ? benchmark.full : benchmark.short);
  process.stderr.write(`  ${name}: ${result.seconds.toFixed(0)} s\n`);
  results.push(result);
}

const report = newReport(values.full ? 'full' : 'short', start, results);
const { table, regressions } = formatTable(report, previous, noise);
if (values.out !== undefined) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
}
process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : table}\n`);
process.exit(regressions > 0 ? 1 : 0);
