import { UsageError, type OpsIo } from '../command.ts';

export type Subcommand = (argv: readonly string[], io: OpsIo) => Promise<number>;

/** Runs `<command> <sub-command> …` by the sub-command's name. */
export function runSubcommand(argv: readonly string[], io: OpsIo, subcommands: Readonly<Record<string, Subcommand>>): Promise<number> {
  const [name, ...rest] = argv;
  const names = Object.keys(subcommands);
  const subcommand = name !== undefined && Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (subcommand === undefined) {
    throw new UsageError(name === undefined ? `Say which: ${names.join(', ')}.` : `Unknown sub-command '${name}'; one of: ${names.join(', ')}.`);
  }
  return subcommand(rest, io);
}
