import { END, START } from '@eventstore/db-client';
import { ExitCode, UsageError, type OpsIo } from '../command.ts';
import { expectPositionals, parseCommandLine } from '../args.ts';
import { groupKey, readGroupFilters } from '../group-config.ts';
import { writeJson } from '../output.ts';
import { countParked } from '../parked-stream.ts';
import { parsePosition, parseRevision } from '../positions.ts';
import { resetGroup, ResetRefusedError, type StartPoint } from '../reset-group.ts';
import { isAllGroup, type GroupInfo } from '../subscription-groups.ts';
import { groupFlags, onGroup } from './group-target.ts';

function startPointOf(text: string, info: GroupInfo): StartPoint {
  if (text === 'start') return START;
  if (text === 'end') return END;
  const point = isAllGroup(info) ? parsePosition(text) : parseRevision(text);
  if (point !== undefined) return point;
  throw new UsageError(
    isAllGroup(info)
      ? `--from for a $all group is start, end, C:<commit>/P:<prepare> or a commit number, not '${text}'.`
      : `--from for a stream group is start, end or a revision number, not '${text}'.`,
  );
}

export async function resetSubscription(argv: readonly string[], io: OpsIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { ...groupFlags, from: { type: 'string', default: 'start' }, yes: { type: 'boolean', default: false } });
  const [group] = expectPositionals(positionals, ['group']);
  return onGroup(io, group!, values.source, async (client, info) => {
    const from = startPointOf(values.from, info);
    const parked = await countParked(client, info.eventSource, info.groupName);
    const question =
      `Reset '${info.groupName}' on ${info.eventSource} to start from ${values.from}? Its consumers are dropped and get ` +
      `events again from there${parked > 0 ? `; its ${parked} parked event(s) are discarded` : ''}.`;
    if (!values.yes && !(await io.confirm(question))) {
      io.stderr('Not reset: not confirmed (pass --yes to skip the question).\n');
      return ExitCode.refused;
    }
    try {
      await resetGroup(client, info, from, (await readGroupFilters(client)).get(groupKey(info.eventSource, info.groupName)));
    } catch (error) {
      if (!(error instanceof ResetRefusedError)) throw error;
      io.stderr(`Not reset: ${error.message}\n`);
      return ExitCode.refused;
    }
    if (values.json) writeJson(io, { source: info.eventSource, group: info.groupName, from: values.from, parkedDiscarded: parked });
    else io.stdout(`Reset '${info.groupName}' on ${info.eventSource}: it starts again from ${values.from}${parked > 0 ? ` (${parked} parked event(s) discarded)` : ''}.\n`);
    return ExitCode.ok;
  });
}
