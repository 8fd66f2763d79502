// The soak's arithmetic: RSS samples per process, and whether they trend upwards.
import { readFile } from 'node:fs/promises';

export interface RssSeries {
  readonly name: string;
  /** [seconds since start, RSS in MB] per sample. */
  readonly samples: Array<[number, number]>;
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}

export interface Trend {
  readonly name: string;
  readonly meanMb: number;
  readonly mbPerMinute: number;
  readonly verdict: 'flat' | 'growing' | 'shrinking';
}

/**
 * The slope over the last two thirds of the samples (the first third is warm-up: JIT, caches, heap
 * sizing). "growing" when it adds more than 1 MB and more than 2% of the mean per minute: at that
 * rate a day-long run would grow by several times its size; below it, noise of GC cycles dominates.
 */
export function trendOf(series: RssSeries): Trend {
  const steady = series.samples.slice(Math.floor(series.samples.length / 3));
  const meanMb = steady.reduce((sum, [, mb]) => sum + mb, 0) / Math.max(1, steady.length);
  const mbPerMinute = slope(steady) * 60;
  const threshold = Math.max(1, meanMb * 0.02);
  const verdict = mbPerMinute > threshold ? 'growing' : mbPerMinute < -threshold ? 'shrinking' : 'flat';
  return { name: series.name, meanMb, mbPerMinute, verdict };
}

/** VmRSS of a process in MB, from /proc (undefined once it has exited). */
export async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status?.match(/^VmRSS:\s+(\d+) kB/m)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}
