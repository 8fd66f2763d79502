// The folded account streams this process has read or written, so that a command usually costs one
// store round trip (the append) instead of two (read, then append). Nothing here is trusted blindly:
// appends still carry the exact expected revision, so a stale entry (another replica wrote since)
// ends in WrongExpectedVersion and a fresh read; see AccountCommandHandler for the other safeguards.
import { fold, type AccountEvent, type AccountState } from '../domain/index.ts';
import type { LoadedAccountStream } from './account-stream.ts';

/**
 * What a cached stream remembers: its state, and only the ids of its recent commands with their first
 * revisions, not their events. A repeat is rare, so it pays a fresh read (which has the events to append
 * again); keeping every recent command's events would hold kilobytes per command for as long as the
 * entry lives, copied by each young-generation GC and then marked again and again in the old one.
 */
export interface CachedAccountStream {
  readonly state: AccountState;
  readonly revision: bigint | undefined;
  /** By command id, its first revision, oldest first; mutable so afterAppend can extend it. */
  readonly commandIds: Map<string, bigint>;
}

export class AccountStreamCache {
  // A Map iterates in insertion order; re-inserting on use makes its first key the least recently used.
  readonly #entries = new Map<string, CachedAccountStream>();

  constructor(private readonly capacity: number) {}

  get(streamName: string): CachedAccountStream | undefined {
    const entry = this.#entries.get(streamName);
    if (entry !== undefined) {
      this.#entries.delete(streamName);
      this.#entries.set(streamName, entry);
    }
    return entry;
  }

  set(streamName: string, entry: CachedAccountStream): void {
    if (this.capacity <= 0) return;
    this.#entries.delete(streamName);
    this.#entries.set(streamName, entry);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  forget(streamName: string): void {
    this.#entries.delete(streamName);
  }
}

/**
 * The cached view of a freshly read stream. It remembers only the commands that began in the latest
 * `recentEvents` revisions: every fresh read finds those again, with the events a repeat appends again.
 */
export function cachedViewOf(loaded: LoadedAccountStream, recentEvents: number): CachedAccountStream {
  const commandIds = new Map<string, bigint>();
  for (const [commandId, recorded] of loaded.commands) commandIds.set(commandId, recorded.firstRevision);
  if (loaded.revision !== undefined) forgetOlderCommands(commandIds, loaded.revision, recentEvents);
  return { state: loaded.state, revision: loaded.revision, commandIds };
}

/**
 * The stream as it stands after `events` were appended up to `revision`. Takes over `view`: its command
 * ids are extended in place (callers hold the stream's lock) and trimmed as in cachedViewOf.
 */
export function afterAppend(
  view: CachedAccountStream,
  commandId: string,
  events: readonly AccountEvent[],
  revision: bigint,
  recentEvents: number,
): CachedAccountStream {
  view.commandIds.set(commandId, revision - BigInt(events.length) + 1n);
  forgetOlderCommands(view.commandIds, revision, recentEvents);
  return { state: fold(events, view.state), revision, commandIds: view.commandIds };
}

/** Drops the commands (oldest first, as a Map iterates) that began before the latest `recentEvents` revisions. */
function forgetOlderCommands(commandIds: Map<string, bigint>, revision: bigint, recentEvents: number): void {
  const oldestKept = revision - BigInt(recentEvents) + 1n;
  for (const [commandId, firstRevision] of commandIds) {
    if (firstRevision >= oldestKept) break;
    commandIds.delete(commandId);
  }
}
