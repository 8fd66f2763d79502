import { setTimeout as sleep } from 'node:timers/promises';
import { WrongExpectedVersionError, type EventStoreDBClient } from '@eventstore/db-client';
import {
  decideTransfer,
  decodeTransferEvent,
  encodeTransferEvent,
  eventMetadata,
  evolveTransfer,
  initialTransferState,
  isTransferEventType,
  transferStreamName,
  type CommandContext,
  type TransferCommand,
  type TransferError,
  type TransferEvent,
  type TransferState,
} from '../domain/index.ts';
import { appendStreamEvents, loadStream, toEventData, type StreamFolder } from './account-stream.ts';
import { eventIdFor, type CommandOutcome } from './command-handler.ts';
import { KeyedLock } from './keyed-lock.ts';

export type TransferOutcome = CommandOutcome<TransferError>;

const transferFolder: StreamFolder<TransferEvent['type'], TransferEvent, TransferState> = {
  kind: 'transfer', isEventType: isTransferEventType, decode: decodeTransferEvent, evolve: evolveTransfer, initialState: initialTransferState,
};

export interface TransferStreamView {
  readonly state: TransferState;
  readonly revision: bigint | undefined;
  readonly lastEventId: string | undefined;
}

/**
 * read → fold → decide → append, for one transfer command: the request from a client and each step the
 * process manager records. A transfer stream has one writer at a time in practice (the request, then
 * the process manager), so there is no stream cache; a conflict re-reads and decides again.
 */
export class TransferCommandHandler {
  readonly #lock = new KeyedLock();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: { readonly maxConflictRetries: number },
  ) {}

  /** The transfer as its stream has it now. */
  async load(transferId: string): Promise<TransferStreamView> {
    const { state, revision, lastEventId } = await loadStream(this.client, transferStreamName(transferId), transferFolder);
    return { state, revision, lastEventId };
  }

  handle(input: { readonly command: TransferCommand; readonly context: CommandContext }): Promise<TransferOutcome> {
    const streamName = transferStreamName(input.command.data.transferId);
    return this.#lock.run(streamName, () => this.#handleWithRetries(streamName, input));
  }

  async #handleWithRetries(streamName: string, input: { command: TransferCommand; context: CommandContext }): Promise<TransferOutcome> {
    const { command, context } = input;
    for (let attempt = 0; ; attempt += 1) {
      const loaded = await loadStream(this.client, streamName, transferFolder);
      try {
        const recorded = loaded.commands.get(context.commandId);
        if (recorded !== undefined) {
          // As for accounts: the same events where they first went make the store answer the original append.
          const previous = recorded.firstRevision === 0n ? undefined : recorded.firstRevision - 1n;
          return { kind: 'accepted', streamName, ...(await appendStreamEvents(this.client, streamName, recorded.events, previous)), repeated: true };
        }
        const decision = decideTransfer(command, loaded.state);
        if (!decision.accepted) return { kind: 'rejected', error: decision.error };
        const events = decision.events.map((event, index) => {
          const stored = encodeTransferEvent(event);
          return toEventData(eventIdFor(context.commandId, index), stored, eventMetadata(context, stored.schemaVersion));
        });
        const appended = await appendStreamEvents(this.client, streamName, events, loaded.revision);
        return { kind: 'accepted', streamName, ...appended, repeated: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= this.options.maxConflictRetries) {
          const actualRevision = typeof error.actualVersion === 'bigint' ? error.actualVersion : undefined;
          return { kind: 'conflict', streamName, expectedRevision: loaded.revision, actualRevision };
        }
        await sleep(Math.random() * 5 * 2 ** Math.min(attempt, 6));
      }
    }
  }
}
