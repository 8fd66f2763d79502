import { defaultEsdbConnectionString, isStoreUnreachable } from '../platform/index.ts';
import { ExitCode, UsageError, type OpsCommand, type OpsIo } from './command.ts';
import { parkedCommand } from './commands/parked.ts';
import { rebuildCommand } from './commands/rebuild.ts';
import { streamsCommand } from './commands/streams.ts';
import { subscriptionsCommand } from './commands/subscriptions.ts';

/** Every top-level command; each lives in commands/<name>.ts. */
const commands: readonly OpsCommand[] = [subscriptionsCommand, parkedCommand, rebuildCommand(), streamsCommand];

const usageOf = (command: OpsCommand): string => command.usage.map((line) => `  npm run ops -- ${line}`).join('\n');

export function helpText(): string {
  return ['Usage:', ...commands.map(usageOf), '', 'Add --json for machine-readable output.'].join('\n') + '\n';
}

/** Runs one command line and resolves to its exit code; never throws. */
export async function runOps(argv: readonly string[], io: OpsIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help') {
    io.stdout(helpText());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(`Unknown command '${name}'.\n${helpText()}`);
    return ExitCode.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\nUsage:\n${usageOf(command)}\n`);
      return ExitCode.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    // Unreachable (or between leaders): say where it looked, since the client's own words do not.
    const where = isStoreUnreachable(error) ? ` (no EventStoreDB answered at ${io.env.ESDB_CONNECTION_STRING ?? defaultEsdbConnectionString}; is it running?)` : '';
    io.stderr(`ops ${name} failed: ${message}${where}\n`);
    return ExitCode.failed;
  }
}
