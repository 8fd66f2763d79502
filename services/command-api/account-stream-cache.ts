// The folded account streams this process has read or written, so that a command usually costs one
// store round trip (the append) instead of two (read, then append). Nothing here is trusted blindly:
// appends still carry the exact expected revision, so a stale entry (another replica wrote since)
// ends in WrongExpectedVersion and a fresh read; see AccountCommandHandler for the other safeguards.
import type { EventData } from '@eventstore/db-client';
import { fold, type AccountEvent } from '../domain/index.ts';
import type { LoadedAccountStream, RecordedCommand } from './account-stream.ts';

export class AccountStreamCache {
  // A Map iterates in insertion order; re-inserting on use makes its first key the least recently used.
  readonly #entries = new Map<string, LoadedAccountStream>();

  constructor(private readonly capacity: number) {}

  get(streamName: string): LoadedAccountStream | undefined {
    const entry = this.#entries.get(streamName);
    if (entry !== undefined) {
      this.#entries.delete(streamName);
      this.#entries.set(streamName, entry);
    }
    return entry;
  }

  set(streamName: string, loaded: LoadedAccountStream): void {
    if (this.capacity <= 0) return;
    this.#entries.delete(streamName);
    this.#entries.set(streamName, loaded);
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
 * The stream as it stands after `events` (which `stored` encodes) were appended up to `revision`.
 * Takes over `loaded`: its commands map is extended in place (callers hold the stream's lock) and keeps
 * only the latest `rememberedCommands`, as a fresh load would, so a busy account's entry stays small.
 */
export function afterAppend(
  loaded: LoadedAccountStream,
  commandId: string,
  events: readonly AccountEvent[],
  stored: EventData[],
  revision: bigint,
  rememberedCommands: number,
): LoadedAccountStream {
  const recorded: RecordedCommand = { firstRevision: revision - BigInt(events.length) + 1n, events: stored };
  loaded.commands.set(commandId, recorded);
  // A Map iterates in insertion order, so its first key is the oldest command.
  for (const oldest of loaded.commands.keys()) {
    if (loaded.commands.size <= rememberedCommands) break;
    loaded.commands.delete(oldest);
  }
  return { state: fold(events, loaded.state), revision, commands: loaded.commands };
}
