import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, ProgressBar } from './progress-bar.ts';

describe('progress bar', () => {
  it('shows done / total, the rate and the time left', () => {
    expect(formatProgress({ done: 50_000, total: 200_000, rate: 10_000 })).toBe(
      `[${'#'.repeat(8)}${'-'.repeat(22)}]  25.0%  50,000 / 200,000 events  10,000 events/s  ETA 0:15`,
    );
    expect(formatProgress({ done: 0, total: 10, rate: undefined })).toContain('-- events/s  ETA --:--');
    expect(formatProgress({ done: 0, total: 0, rate: 0 })).toContain('100.0%');
    expect(formatDuration(3_725)).toBe('1:02:05');
  });

  it('redraws one line in place on a terminal', () => {
    let clock = 0;
    const out: string[] = [];
    const bar = new ProgressBar({ write: (text) => out.push(text), isTTY: true, now: () => clock });
    bar.update(0, 100);
    clock = 1_000;
    bar.update(40, 100);
    bar.done();
    expect(out).toHaveLength(3);
    expect(out[1]!.startsWith('\r[')).toBe(true);
    expect(out[1]!.endsWith('40 / 100 events  40 events/s  ETA 0:02\u001b[K')).toBe(true);
    expect(out.join('')).not.toMatch(/\n.*\n/);
    expect(out[2]).toBe('\n');
  });

  it('prints a line now and then when the output is not a terminal', () => {
    let clock = 0;
    const out: string[] = [];
    const bar = new ProgressBar({ write: (text) => out.push(text), isTTY: false, lineIntervalMs: 5_000, now: () => clock });
    for (; clock <= 12_000; clock += 1_000) bar.update(clock, 20_000);
    bar.done();
    expect(out).toHaveLength(3);
    for (const line of out) expect(line).toMatch(/^\[.*events\/s.*\n$/);
    expect(out[2]).toContain('10,000 / 20,000 events  1,000 events/s  ETA 0:10');
  });
});
