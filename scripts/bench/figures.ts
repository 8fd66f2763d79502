// What every benchmark returns: figures, each (where one exists) with the baseline it should be read
// against, measured in the same run on the same machine, so the ratio means something on a noisy box.
export interface Baseline {
  readonly name: string;
  readonly value: number;
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Which way is better: decides what counts as a regression and how the ratio reads. */
  readonly better: 'higher' | 'lower';
  readonly baseline?: Baseline;
  /** A target or a remark, shown beside the figure. */
  readonly note?: string;
}

/** Sizes and durations, all numbers, so a standalone script can take any of them as `--name value`. */
export type Settings = Record<string, number>;

export interface Benchmark<S extends Settings = Settings> {
  readonly name: string;
  /** Used by default: the whole suite stays under five minutes on a 2-core machine. */
  readonly short: S;
  /** Used with --full: the large sizes. */
  readonly full: S;
  // A method, not a property, so a Benchmark<{ seconds: number }> fits in a list of Benchmark.
  run(settings: S): Promise<Figure[]>;
}

export interface BenchmarkResult {
  readonly benchmark: string;
  readonly settings: Settings;
  readonly seconds: number;
  readonly figures: Figure[];
}

/** value / baseline: above 1 means "more than the baseline", whichever way is better. */
export const ratioOf = (figure: Figure): number | undefined =>
  figure.baseline === undefined || figure.baseline.value === 0 ? undefined : figure.value / figure.baseline.value;

/** Sorted copy's q-quantile (nearest rank); 0 for no samples. */
export const percentile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
