import { ExitCode, type OpsCommand, type OpsIo } from '../command.ts';
import { expectPositionals, parseCommandLine } from '../args.ts';
import { withEsdb } from '../connection.ts';
import { readGroupFilters } from '../group-config.ts';
import { formatFields, formatTable, writeJson } from '../output.ts';
import { describeAllGroups, describeGroup, type GroupStatus } from '../subscription-groups.ts';
import { groupFlags, onGroup } from './group-target.ts';
import { runSubcommand } from './subcommands.ts';
import { resetSubscription } from './subscription-reset.ts';

const lagText = (status: GroupStatus): string => `${status.lag}${status.lagCapped ? '+' : ''}`;

function printGroups(io: OpsIo, groups: readonly GroupStatus[]): void {
  if (groups.length === 0) {
    io.stdout('No persistent-subscription groups.\n');
    return;
  }
  const headers = ['GROUP', 'SOURCE', 'STATUS', 'CONSUMERS', 'IN-FLIGHT', 'PARKED', 'LAG'];
  io.stdout(formatTable(headers, groups.map((g) => [g.group, g.source, g.status, String(g.consumers.length), String(g.inFlight), String(g.parked), lagText(g)])));
}

async function list(argv: readonly string[], io: OpsIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { json: groupFlags.json });
  expectPositionals(positionals, []);
  const groups = await withEsdb(io, describeAllGroups);
  if (values.json) writeJson(io, { groups });
  else printGroups(io, groups);
  return ExitCode.ok;
}

function printGroup(io: OpsIo, status: GroupStatus): void {
  io.stdout(
    formatFields([
      ['Group', status.group],
      ['Source', status.source],
      ['Filter', status.filter ?? (status.source === '$all' ? 'none' : '-')],
      ['Start from', status.startFrom],
      ['Status', status.status],
      ['Checkpoint', status.checkpoint ?? 'none yet'],
      ['Lag', `${lagText(status)} events behind the head of ${status.source}`],
      ['In flight', String(status.inFlight)],
      ['Parked', String(status.parked)],
      ['Consumers', String(status.consumers.length)],
    ]),
  );
  if (status.consumers.length > 0) {
    io.stdout('\n' + formatTable(['CONSUMER', 'FROM', 'IN-FLIGHT'], status.consumers.map((c) => [c.name, c.from, String(c.inFlight)])));
  }
}

async function info(argv: readonly string[], io: OpsIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, groupFlags);
  const [group] = expectPositionals(positionals, ['group']);
  return onGroup(io, group!, values.source, async (client, found) => {
    const status = await describeGroup(client, found, await readGroupFilters(client));
    if (values.json) writeJson(io, status);
    else printGroup(io, status);
    return ExitCode.ok;
  });
}

export const subscriptionsCommand: OpsCommand = {
  name: 'subscriptions',
  usage: [
    'subscriptions list [--json]',
    'subscriptions info <group> [--source <$all|stream>] [--json]',
    'subscriptions reset <group> [--from start|end|<position>] [--source <$all|stream>] [--yes] [--json]',
  ],
  run: (argv, io) => runSubcommand(argv, io, { list, info, reset: resetSubscription }),
};
