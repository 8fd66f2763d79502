import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors turned into usage errors (message and usage, exit 2). */
export function parseCommandLine<T extends Options>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A whole number flag such as --limit; absent → the fallback. */
export function parseCount(value: string | undefined, flag: string, fallback: number, minimum = 1): number {
  if (value === undefined) return fallback;
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < minimum) throw new UsageError(`--${flag} must be a whole number of at least ${minimum}, not '${value}'.`);
  return count;
}

/** Exactly `count` positional arguments after the sub-command. */
export function expectPositionals(positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length !== names.length) {
    throw new UsageError(`Expected ${names.map((name) => `<${name}>`).join(' ') || 'no arguments'}, got ${positionals.length === 0 ? 'none' : positionals.map((value) => `'${value}'`).join(' ')}.`);
  }
  return [...positionals];
}
