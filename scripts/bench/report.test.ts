import { describe, expect, it } from 'vitest';
import type { Figure } from './figures.ts';
import { compareFigure, formatTable, type RunReport } from './report.ts';

const throughput = (value: number, baseline?: number): Figure => ({
  name: 'deposits', value, unit: 'req/s', better: 'higher', ...(baseline === undefined ? {} : { baseline: { name: 'bare', value: baseline } }),
});
const latency = (value: number): Figure => ({ name: 'p99', value, unit: 'ms', better: 'lower' });

describe('comparing with a previous run', () => {
  it('flags a throughput more than 25% down, not one within noise', () => {
    expect(compareFigure(throughput(70), throughput(100), 0.25)).toEqual({ change: '-30%', regressed: true });
    expect(compareFigure(throughput(85), throughput(100), 0.25)).toEqual({ change: '-15%', regressed: false });
  });

  it('flags a latency more than 25% up', () => {
    expect(compareFigure(latency(13), latency(10), 0.25).regressed).toBe(true);
    expect(compareFigure(latency(7), latency(10), 0.25).regressed).toBe(false);
  });

  it('compares ratios to the same-run baseline, so a slower machine alone is no regression', () => {
    expect(compareFigure(throughput(50, 100), throughput(100, 200), 0.25)).toEqual({ change: '+0%', regressed: false });
    expect(compareFigure(throughput(50, 200), throughput(100, 200), 0.25).regressed).toBe(true);
  });

  it('marks regressions in the table and counts them', () => {
    const report = (figures: Figure[]): RunReport => ({
      startedAt: '2026-01-01T00:00:00.000Z', mode: 'short',
      machine: { cpus: 2, model: 'test', memoryGb: 1, node: 'v20', loadAverageAtStart: [0, 0, 0] },
      results: [{ benchmark: 'command-api', settings: {}, seconds: 1, figures }],
    });
    const { table, regressions } = formatTable(report([throughput(50, 100), latency(10)]), report([throughput(100, 100), latency(10)]), 0.25);
    expect(regressions).toBe(1);
    expect(table).toContain('| command-api | deposits | 50 req/s | bare: 100 req/s | 0.5× |  | **-50% REGRESSED** |');
  });
});
