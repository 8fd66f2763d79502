/** What one redraw shows. */
export interface ProgressSnapshot {
  readonly done: number;
  readonly total: number;
  /** Per second, over the recent window; undefined until two samples exist. */
  readonly rate: number | undefined;
}

export interface ProgressBarOptions {
  readonly write: (text: string) => void;
  /** Redraw one line in place (a terminal) or print a line now and then (a log file, CI). */
  readonly isTTY: boolean;
  readonly unit?: string;
  /** How often a non-terminal gets a line. */
  readonly lineIntervalMs?: number;
  readonly now?: () => number;
}

const WIDTH = 30;
/** The rate is measured over this much recent time, so it follows changes without jumping about. */
const RATE_WINDOW_MS = 5_000;

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const whole = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** `[#######-------]  45.0%  90,000 / 200,000 events  12,345 events/s  ETA 0:09` */
export function formatProgress({ done, total, rate }: ProgressSnapshot, unit = 'events'): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
  const percent = `${(fraction * 100).toFixed(1).padStart(5)}%`;
  const speed = rate === undefined ? `-- ${unit}/s` : `${count(rate)} ${unit}/s`;
  const eta = rate === undefined || rate <= 0 ? '--:--' : formatDuration(Math.max(0, total - done) / rate);
  return `${bar} ${percent}  ${count(done)} / ${count(total)} ${unit}  ${speed}  ETA ${eta}`;
}

/** A progress bar with no dependency: done / total, rate and ETA. */
export class ProgressBar {
  readonly #options: ProgressBarOptions;
  readonly #now: () => number;
  #samples: { at: number; done: number }[] = [];
  #lastLineAt = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(options: ProgressBarOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  update(done: number, total: number): void {
    const at = this.#now();
    this.#samples.push({ at, done });
    while (this.#samples.length > 2 && at - this.#samples[1]!.at >= RATE_WINDOW_MS) this.#samples.shift();
    const line = formatProgress({ done, total, rate: this.#rate() }, this.#options.unit);
    if (this.#options.isTTY) {
      // Carriage return and erase-to-end-of-line: the bar stays on one line however often it changes.
      this.#options.write(`\r${line}\x1b[K`);
      this.#drawn = true;
    } else if (at - this.#lastLineAt >= (this.#options.lineIntervalMs ?? 5_000)) {
      this.#options.write(`${line}\n`);
      this.#lastLineAt = at;
    }
  }

  /** Leaves the last bar on screen and moves below it, so that what is printed next starts a line. */
  done(): void {
    if (this.#drawn) this.#options.write('\n');
    this.#drawn = false;
  }

  #rate(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (first === undefined || last === undefined || last.at <= first.at) return undefined;
    return ((last.done - first.done) * 1_000) / (last.at - first.at);
  }
}
