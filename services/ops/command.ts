/** What every `npm run ops -- <command> …` needs from the outside world, so tests can run commands in-process. */
export interface OpsIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Asks a yes/no question on the terminal; resolves false when stdin is not a terminal. */
  readonly confirm: (question: string) => Promise<boolean>;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal, where progress is redrawn in place rather than printed line by line. */
  readonly stderrIsTTY?: boolean;
}

/** One top-level command of the ops CLI, e.g. `subscriptions` (which has its own sub-commands). */
export interface OpsCommand {
  readonly name: string;
  /** One line per form, shown by `ops help` and after a usage error. */
  readonly usage: readonly string[];
  /** Resolves to the process exit code (see ExitCode). */
  readonly run: (argv: readonly string[], io: OpsIo) => Promise<number>;
}

/** Exit codes that mean something to scripts. */
export const ExitCode = {
  ok: 0,
  /** Something went wrong talking to the servers, or the operation failed. */
  failed: 1,
  /** The command line was wrong: unknown command, bad flag or value. */
  usage: 2,
  /** The named group, stream or projection does not exist. */
  notFound: 3,
  /** Refused on purpose: not confirmed, or another operation holds the lock. */
  refused: 4,
} as const;

/** A command-line mistake; the CLI prints the message and the command's usage, and exits with ExitCode.usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}
