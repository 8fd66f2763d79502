import { setTimeout as sleep } from 'node:timers/promises';
import { WrongExpectedVersionError, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import {
  accountStreamName,
  decide,
  encodeAccountEvent,
  eventMetadata,
  type AccountCommand,
  type AccountError,
  type CommandContext,
} from '../domain/index.ts';
import { nameBasedUuid, sealerFor, type KeyStore } from '../platform/index.ts';
import { afterAppend, AccountStreamCache, cachedViewOf, type CachedAccountStream } from './account-stream-cache.ts';
import { appendStreamEvents, loadAccountStream, toEventData, type RecordedCommand } from './account-stream.ts';
import { KeyedLock } from './keyed-lock.ts';

/** Namespace of Ledgerline's deterministic event ids (uuid v5); fixed forever, or retries stop deduplicating. */
const EVENT_ID_NAMESPACE = '0b9e4f0e-5d0c-4c55-8f3a-6f2b6a1d7c42';

export function eventIdFor(commandId: string, index: number): string {
  return nameBasedUuid(`${commandId}/${index}`, EVENT_ID_NAMESPACE);
}

export type CommandOutcome<Refusal = AccountError> =
  | {
      readonly kind: 'accepted';
      readonly streamName: string;
      readonly revision: bigint;
      readonly position: Position | undefined;
      /** True when the command had been handled before and nothing new was appended. */
      readonly repeated: boolean;
    }
  | { readonly kind: 'rejected'; readonly error: Refusal }
  | {
      readonly kind: 'conflict';
      readonly streamName: string;
      readonly expectedRevision: bigint | undefined;
      readonly actualRevision: bigint | undefined;
    };

export interface CommandHandlerOptions {
  readonly maxConflictRetries: number;
  /** Upper bound of the first retry's random delay; each further retry doubles it. */
  readonly retryBaseDelayMs: number;
  readonly onConflictRetry?: (command: AccountCommand['type']) => void;
  /** How many folded streams to keep between commands; 0 reads every stream afresh. */
  readonly cachedStreams: number;
  /**
   * The per-account keys that seal holders' personal data (see platform/key-store.ts). Undefined for a
   * handler that only moves money (the transfers process manager): it refuses to open or forget.
   */
  readonly keyStore?: KeyStore;
  /** Latest events read per stream load; also how many recent commands a cached view remembers. */
  readonly recentEvents: number;
}

export interface HandleCommandInput {
  readonly command: AccountCommand;
  readonly context: CommandContext;
  /** The revision the client last saw; when given, a mismatch is the client's conflict, never retried. */
  readonly expectedRevision?: bigint | undefined;
}

/** read → fold → decide → append, for one account command. */
export class AccountCommandHandler {
  readonly #lock = new KeyedLock();
  readonly #cache: AccountStreamCache;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: CommandHandlerOptions,
  ) {
    this.#cache = new AccountStreamCache(options.cachedStreams);
  }

  handle(input: HandleCommandInput): Promise<CommandOutcome> {
    const streamName = accountStreamName(input.command.data.accountId);
    return this.#lock.run(
      streamName,
      async () => (await this.#tryCached(streamName, input)) ?? this.#handleWithRetries(streamName, input),
    );
  }

  /** Decides on the cached stream, if any; undefined means "read the stream and decide again". */
  async #tryCached(streamName: string, input: HandleCommandInput): Promise<CommandOutcome | undefined> {
    // A client's expectedRevision is judged against the store itself, never against a cached view.
    if (input.expectedRevision !== undefined) return undefined;
    const cached = this.#cache.get(streamName);
    // A repeat needs the events its command appended, which only a fresh read has.
    if (cached === undefined || cached.commandIds.has(input.context.commandId)) return undefined;
    try {
      const outcome = await this.#attempt(streamName, cached, undefined, input);
      // A refusal could come from a stale view (another replica deposited since): only a fresh read may refuse.
      return outcome.kind === 'rejected' ? undefined : outcome;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      this.#cache.forget(streamName);
      return undefined;
    }
  }

  async #handleWithRetries(streamName: string, input: HandleCommandInput): Promise<CommandOutcome> {
    for (let attempt = 0; ; attempt += 1) {
      const loaded = await loadAccountStream(this.client, streamName, this.options.recentEvents);
      const view = cachedViewOf(loaded, this.options.recentEvents);
      this.#cache.set(streamName, view);
      try {
        return await this.#attempt(streamName, view, loaded.commands.get(input.context.commandId), input);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        this.#cache.forget(streamName);
        const actualRevision = typeof error.actualVersion === 'bigint' ? error.actualVersion : undefined;
        if (input.expectedRevision !== undefined || attempt >= this.options.maxConflictRetries) {
          return { kind: 'conflict', streamName, expectedRevision: loaded.revision, actualRevision };
        }
        this.options.onConflictRetry?.(input.command.type);
        // Full jitter: replicas that collided once spread out instead of colliding again in lockstep.
        await sleep(Math.random() * this.options.retryBaseDelayMs * 2 ** Math.min(attempt, 6));
      }
    }
  }

  /** Decides on `view`; `recorded` is what this command appended before, if it is a repeat. */
  async #attempt(
    streamName: string,
    view: CachedAccountStream,
    recorded: RecordedCommand | undefined,
    input: HandleCommandInput,
  ): Promise<CommandOutcome> {
    const { command, context, expectedRevision } = input;
    if (recorded !== undefined) {
      // Appending the very same events where they first went lets the store recognise the retry and
      // answer with the original revision and position, without writing anything.
      const previous = recorded.firstRevision === 0n ? undefined : recorded.firstRevision - 1n;
      const appended = await appendStreamEvents(this.client, streamName, recorded.events, previous);
      return { kind: 'accepted', streamName, ...appended, repeated: true };
    }
    if (expectedRevision !== undefined && expectedRevision !== view.revision) {
      return { kind: 'conflict', streamName, expectedRevision, actualRevision: view.revision };
    }
    const decision = decide(command, view.state);
    if (!decision.accepted) return { kind: 'rejected', error: decision.error };
    const accountId = command.data.accountId;
    const types = new Set(decision.events.map((event) => event.type));
    // Privacy first: the key goes before the event is appended, so a failed append leaves the name
    // unreadable already, and the client's retry records the event.
    const { keyStore } = this.options;
    if (keyStore === undefined && (types.has('HolderForgotten') || types.has('AccountOpened'))) {
      throw new Error(`${command.type} needs a key store; this handler only moves money`);
    }
    if (types.has('HolderForgotten')) await keyStore?.destroy(accountId);
    const seal = types.has('AccountOpened') && keyStore !== undefined ? sealerFor(await keyStore.keyFor(accountId), accountId) : undefined;
    const events = decision.events.map((event, index) => {
      const stored = encodeAccountEvent(event, seal);
      return toEventData(eventIdFor(context.commandId, index), stored, eventMetadata(context, stored.schemaVersion));
    });
    const appended = await appendStreamEvents(this.client, streamName, events, view.revision);
    this.#cache.set(streamName, afterAppend(view, context.commandId, decision.events, appended.revision, this.options.recentEvents));
    return { kind: 'accepted', streamName, ...appended, repeated: false };
  }
}
