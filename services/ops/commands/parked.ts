import { ExitCode, type OpsCommand, type OpsIo } from '../command.ts';
import { expectPositionals, parseCommandLine, parseCount } from '../args.ts';
import { formatTable, writeJson } from '../output.ts';
import { countParked, listParked } from '../parked-stream.ts';
import { isAllGroup } from '../subscription-groups.ts';
import { groupFlags, onGroup } from './group-target.ts';
import { runSubcommand } from './subcommands.ts';

async function list(argv: readonly string[], io: OpsIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { ...groupFlags, limit: { type: 'string' } });
  const [group] = expectPositionals(positionals, ['group']);
  const limit = parseCount(values.limit, 'limit', 100);
  return onGroup(io, group!, values.source, async (client, info) => {
    const [parked, total] = await Promise.all([listParked(client, info.eventSource, info.groupName, limit), countParked(client, info.eventSource, info.groupName)]);
    if (values.json) {
      writeJson(io, { source: info.eventSource, group: info.groupName, total, parked });
      return ExitCode.ok;
    }
    if (total === 0) {
      io.stdout(`No parked events in '${info.groupName}'.\n`);
      return ExitCode.ok;
    }
    const rows = parked.map((p) => [String(p.parkedRevision), p.eventId ?? '?', p.stream ?? '?', p.revision === null ? '?' : String(p.revision), p.type ?? '?', p.parkedAt ?? '', p.reason ?? '']);
    io.stdout(formatTable(['#', 'EVENT ID', 'STREAM', 'REVISION', 'TYPE', 'PARKED AT', 'REASON'], rows));
    if (total > parked.length) io.stdout(`… ${total - parked.length} more (raise --limit).\n`);
    return ExitCode.ok;
  });
}

async function replay(argv: readonly string[], io: OpsIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { ...groupFlags, 'stop-at': { type: 'string' } });
  const [group] = expectPositionals(positionals, ['group']);
  const stopAt = values['stop-at'] === undefined ? undefined : parseCount(values['stop-at'], 'stop-at', 0, 0);
  return onGroup(io, group!, values.source, async (client, info) => {
    const waiting = await countParked(client, info.eventSource, info.groupName);
    const options = stopAt === undefined ? {} : { stopAt };
    if (isAllGroup(info)) await client.replayParkedMessagesToAll(info.groupName, options);
    else await client.replayParkedMessagesToStream(info.eventSource, info.groupName, options);
    if (values.json) writeJson(io, { source: info.eventSource, group: info.groupName, parkedBefore: waiting, stopAt: stopAt ?? null });
    else io.stdout(`Replaying the parked events of '${info.groupName}' (${waiting} waiting${stopAt === undefined ? '' : `, stopping at parked event ${stopAt}`}) to its consumers.\n`);
    return ExitCode.ok;
  });
}

export const parkedCommand: OpsCommand = {
  name: 'parked',
  usage: ['parked list <group> [--limit N] [--source <$all|stream>] [--json]', 'parked replay <group> [--stop-at N] [--source <$all|stream>] [--json]'],
  run: (argv, io) => runSubcommand(argv, io, { list, replay }),
};
