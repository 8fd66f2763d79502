// One table for every benchmark's figures, and the comparison with a previous run.
import { cpus, loadavg, totalmem } from 'node:os';
import { ratioOf, type BenchmarkResult, type Figure } from './figures.ts';

export interface RunReport {
  readonly startedAt: string;
  readonly mode: 'short' | 'full';
  readonly machine: { readonly cpus: number; readonly model: string; readonly memoryGb: number; readonly node: string; readonly loadAverageAtStart: number[] };
  readonly results: BenchmarkResult[];
}

export const describeMachine = (): RunReport['machine'] => ({
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: loadavg().map((load) => Math.round(load * 100) / 100),
});

const number = (value: number): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) < 100 ? 2 : 0 });
const withUnit = (value: number, unit: string) => `${number(value)} ${unit}`;

/**
 * The noise rule: a figure is compared through its ratio to its same-run baseline when it has one (the
 * baseline absorbs how busy and fast the machine was), else through its value; it has regressed when
 * that is more than `noise` worse (below 1 / (1 + noise) of before where higher is better, above
 * 1 + noise where lower is better). Measured run-to-run spread on the shared 2-core machine was
 * ±15-20%, so the default of 0.25 flags little that is only noise.
 */
export function compareFigure(current: Figure, previous: Figure | undefined, noise: number): { change: string; regressed: boolean } {
  if (previous === undefined) return { change: 'new', regressed: false };
  const [now, before] = ratioOf(current) !== undefined && ratioOf(previous) !== undefined
    ? [ratioOf(current)!, ratioOf(previous)!]
    : [current.value, previous.value];
  if (before === 0) return { change: '–', regressed: false };
  const change = now / before;
  const regressed = current.better === 'higher' ? change < 1 / (1 + noise) : change > 1 + noise;
  return { change: `${change >= 1 ? '+' : ''}${Math.round((change - 1) * 100)}%`, regressed };
}

const figureKey = (benchmark: string, figure: Figure) => `${benchmark} / ${figure.name}`;

/** A Markdown table: figure, baseline from the same run, ratio, and (given a previous run) the change. */
export function formatTable(report: RunReport, previous?: RunReport, noise = 0.25): { table: string; regressions: number } {
  const before = new Map(previous?.results.flatMap((result) => result.figures.map((figure) => [figureKey(result.benchmark, figure), figure] as const)));
  let regressions = 0;
  const header = ['benchmark', 'figure', 'value', 'baseline (same run)', 'ratio', 'note', ...(previous ? ['vs previous'] : [])];
  const rows = report.results.flatMap((result) => result.figures.map((figure) => {
    const ratio = ratioOf(figure);
    const cells = [
      result.benchmark,
      figure.name,
      withUnit(figure.value, figure.unit),
      figure.baseline ? `${figure.baseline.name}: ${withUnit(figure.baseline.value, figure.unit)}` : '',
      ratio === undefined ? '' : `${number(ratio)}×`,
      figure.note ?? '',
    ];
    if (previous) {
      const { change, regressed } = compareFigure(figure, before.get(figureKey(result.benchmark, figure)), noise);
      if (regressed) regressions += 1;
      cells.push(regressed ? `**${change} REGRESSED**` : change);
    }
    return cells;
  }));
  const lines = [header, header.map((_, index) => (index >= 2 && index <= 4 ? '---:' : '---')), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const { machine } = report;
  lines.push('', `${report.mode} run, ${report.startedAt}; ${machine.cpus} × ${machine.model}, ${machine.memoryGb} GB, node ${machine.node}, load average at start ${machine.loadAverageAtStart.join(' ')}`);
  if (previous) lines.push(`compared with the run of ${previous.startedAt}: ${regressions} regression(s) beyond ${Math.round(noise * 100)}% noise (ratio to baseline where there is one)`);
  return { table: lines.join('\n'), regressions };
}
