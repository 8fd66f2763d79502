import { setTimeout as sleep } from 'node:timers/promises';
import { WrongExpectedVersionError, type EventStoreDBClient } from '@eventstore/db-client';
import {
  decideTransfer,
  encodeTransferEvent,
  eventMetadata,
  foldTransfer,
  initialTransferState,
  transferStreamName,
  type CommandContext,
  type TransferCommand,
  type TransferError,
} from '../domain/index.ts';
import { appendStreamEvents, toEventData } from './account-stream.ts';
import { eventIdFor, type CommandOutcome } from './command-handler.ts';
import { KeyedLock } from './keyed-lock.ts';
import { loadTransferStream, type TransferStreamView } from './transfer-stream.ts';

export type TransferOutcome = CommandOutcome<TransferError>;
export type { TransferStreamView };

/** The outcome, and the stream as it stands after an accepted command (undefined otherwise). */
export interface TransferHandled {
  readonly outcome: TransferOutcome;
  readonly view: TransferStreamView | undefined;
}

export interface TransferCommandInput {
  readonly command: TransferCommand;
  readonly context: CommandContext;
  /** The stream as the caller last saw it: decided on without a read; a stale view costs a conflict and a re-read. */
  readonly known?: TransferStreamView | undefined;
}

/** A fresh transfer id has no stream yet: a request is decided on that without reading it. */
const unopened: TransferStreamView = { state: initialTransferState, revision: undefined, lastEventId: undefined, commands: new Map() };

/**
 * read → fold → decide → append, for one transfer command: the request from a client and each step the
 * process manager records. Callers that know the stream (a new request, the process manager carrying
 * its view from step to step) skip the read; the exact expected revision keeps that safe.
 */
export class TransferCommandHandler {
  readonly #lock = new KeyedLock();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: { readonly maxConflictRetries: number },
  ) {}

  load(transferId: string): Promise<TransferStreamView> {
    return loadTransferStream(this.client, transferStreamName(transferId));
  }

  async handle(input: TransferCommandInput): Promise<TransferOutcome> {
    const known = input.known ?? (input.command.type === 'RequestTransfer' ? unopened : undefined);
    return (await this.step({ ...input, known })).outcome;
  }

  step(input: TransferCommandInput): Promise<TransferHandled> {
    const streamName = transferStreamName(input.command.data.transferId);
    return this.#lock.run(streamName, () => this.#handleWithRetries(streamName, input));
  }

  async #handleWithRetries(streamName: string, input: TransferCommandInput): Promise<TransferHandled> {
    let known = input.known;
    for (let attempt = 0; ; attempt += 1) {
      const loaded = known ?? (await loadTransferStream(this.client, streamName));
      known = undefined;
      try {
        return await this.#attempt(streamName, loaded, input.command, input.context);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= this.options.maxConflictRetries) {
          const actualRevision = typeof error.actualVersion === 'bigint' ? error.actualVersion : undefined;
          return { outcome: { kind: 'conflict', streamName, expectedRevision: loaded.revision, actualRevision }, view: undefined };
        }
        if (attempt > 0) await sleep(Math.random() * 5 * 2 ** Math.min(attempt, 6));
      }
    }
  }

  async #attempt(streamName: string, loaded: TransferStreamView, command: TransferCommand, context: CommandContext): Promise<TransferHandled> {
    const recorded = loaded.commands.get(context.commandId);
    if (recorded !== undefined) {
      // As for accounts: the same events where they first went make the store answer the original append.
      const previous = recorded.firstRevision === 0n ? undefined : recorded.firstRevision - 1n;
      const appended = await appendStreamEvents(this.client, streamName, recorded.events, previous);
      return { outcome: { kind: 'accepted', streamName, ...appended, repeated: true }, view: undefined };
    }
    const decision = decideTransfer(command, loaded.state);
    if (!decision.accepted) return { outcome: { kind: 'rejected', error: decision.error }, view: undefined };
    const events = decision.events.map((event, index) => {
      const stored = encodeTransferEvent(event);
      return toEventData(eventIdFor(context.commandId, index), stored, eventMetadata(context, stored.schemaVersion));
    });
    const appended = await appendStreamEvents(this.client, streamName, events, loaded.revision);
    const commands = new Map(loaded.commands).set(context.commandId, { firstRevision: appended.revision - BigInt(events.length) + 1n, events });
    const view = { state: foldTransfer(decision.events, loaded.state), revision: appended.revision, lastEventId: events.at(-1)?.id, commands };
    return { outcome: { kind: 'accepted', streamName, ...appended, repeated: false }, view };
  }
}
