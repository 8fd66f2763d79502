import { ExitCode, UsageError, type OpsCommand, type OpsIo } from '../command.ts';
import { expectPositionals, parseCommandLine, parseCount } from '../args.ts';
import { withEsdb } from '../connection.ts';
import { toJson, writeJson } from '../output.ts';
import { readPage, type EventView } from '../stream-reader.ts';
import { runSubcommand } from './subcommands.ts';

const DEFAULT_LIMIT = 20;

/** A block per event for people: a heading line, then data and metadata as indented JSON. */
function printEvent(io: OpsIo, event: EventView): void {
  const indent = (text: string): string => text.replace(/^/gm, '    ');
  io.stdout(
    `${event.stream}@${event.revision}  ${event.type}  ${event.created}${event.position === null ? '' : `  ${event.position}`}  ${event.eventId}\n` +
      `  data:\n${indent(toJson(event.data, 2))}\n  metadata:\n${indent(toJson(event.metadata, 2))}\n\n`,
  );
}

async function read(argv: readonly string[], io: OpsIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    backwards: { type: 'boolean', default: false },
    limit: { type: 'string' },
    from: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const [stream] = expectPositionals(positionals, ['stream']);
  const limit = parseCount(values.limit, 'limit', DEFAULT_LIMIT);
  const request = { stream: stream!, direction: values.backwards ? 'backwards' : 'forwards', limit, ...(values.from === undefined ? {} : { from: values.from }) } as const;
  const page = await withEsdb(io, (client) => readPage(client, request));
  switch (page.kind) {
    case 'bad-cursor':
      throw new UsageError(`--from ${page.message}`);
    case 'not-found':
      io.stderr(`Stream '${stream}' does not exist.\n`);
      return ExitCode.notFound;
    case 'deleted':
      io.stderr(`Stream '${stream}' has been deleted.\n`);
      return ExitCode.notFound;
    case 'page':
      for (const event of page.events) {
        if (values.json) writeJson(io, event);
        else printEvent(io, event);
      }
      if (!values.json && page.next !== null) io.stdout(`More: add --from ${page.next}\n`);
      else if (!values.json && page.events.length === 0) io.stdout(`No events in '${stream}' from there.\n`);
      return ExitCode.ok;
  }
}

export const streamsCommand: OpsCommand = {
  name: 'streams',
  usage: ["streams read <stream|'$all'> [--backwards] [--limit N] [--from <revision|position>] [--json]"],
  run: (argv, io) => runSubcommand(argv, io, { read }),
};
