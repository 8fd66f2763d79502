import { randomUUID } from 'node:crypto';
import { encodeConsistencyToken, type AccountCommand, type CommandContext } from '../../domain/index.ts';
import type { CommandOutcome } from '../command-handler.ts';
import { authorize, isStoreUnreachable } from '../../platform/index.ts';
import type { CommandApiContext } from '../context.ts';
import { mutationAccess, type MutationName } from './access-rules.ts';
import type { CommandAcceptedShape } from './command-accepted.ts';
import { ConcurrencyConflict, RateLimited, StoreUnavailable, toGraphqlError } from './error-classes.ts';

/** What a client is told to wait before retrying when the store did not answer: about a reconnection's time. */
const STORE_RETRY_AFTER_MS = 1_000;

export interface CommandOptions {
  readonly commandId: string | undefined;
  readonly expectedRevision: number | undefined;
  readonly reason: string | undefined;
}

const revisionOrNull = (revision: bigint | undefined): number | null => (revision === undefined ? null : Number(revision));

/** Throws Forbidden or RateLimited unless this caller may run this mutation now. */
export function admit(context: CommandApiContext, mutation: MutationName): void {
  authorize(context.principal, mutation, mutationAccess[mutation]);
  const retryAfterMs = context.rateLimiter?.take(context.clientKey) ?? 0;
  if (retryAfterMs > 0) {
    context.metrics.countRateLimited(mutation);
    throw new RateLimited(retryAfterMs);
  }
}

/** How one mutation hands its command to a handler and turns the handler's refusals into typed errors. */
export interface HandledCommand<Refusal> {
  readonly aggregateId: string;
  /** The saga a command starts is its own correlation: a transfer's events all carry the transfer id. */
  readonly correlationId?: string;
  readonly handle: (context: CommandContext, expectedRevision: bigint | undefined) => Promise<CommandOutcome<Refusal>>;
  readonly toError: (refusal: Refusal) => Error;
}

/** Runs one account command and turns its outcome into the mutation's result: CommandAccepted, or a thrown typed error. */
export function runCommand(
  context: CommandApiContext,
  mutation: MutationName,
  command: AccountCommand,
  options: CommandOptions,
): Promise<CommandAcceptedShape> {
  return runHandled(context, mutation, options, {
    aggregateId: command.data.accountId,
    handle: (commandContext, expectedRevision) => context.handler.handle({ command, context: commandContext, expectedRevision }),
    toError: toGraphqlError,
  });
}

/** Admits the caller and runs one command through its handler: CommandAccepted, or a thrown typed error. */
export async function runHandled<Refusal extends { type: string }>(
  context: CommandApiContext,
  mutation: MutationName,
  options: CommandOptions,
  command: HandledCommand<Refusal>,
): Promise<CommandAcceptedShape> {
  admit(context, mutation);
  const stopTimer = context.metrics.startCommandTimer(mutation);
  const commandId = options.commandId ?? randomUUID();
  let outcome: CommandOutcome<Refusal> | undefined;
  try {
    outcome = await command.handle(
      {
        commandId,
        correlationId: command.correlationId ?? context.correlationId,
        actor: context.principal.subject,
        occurredAt: context.now().toISOString(),
        reason: options.reason,
      },
      options.expectedRevision === undefined ? undefined : BigInt(options.expectedRevision),
    );
  } catch (error) {
    context.log.error({ correlationId: context.correlationId, err: error, mutation, commandId }, 'command failed unexpectedly');
    if (isStoreUnreachable(error)) throw new StoreUnavailable(commandId, STORE_RETRY_AFTER_MS);
    throw error;
  } finally {
    stopTimer(outcomeLabel(outcome));
  }
  context.log.info({ correlationId: context.correlationId, mutation, commandId, aggregateId: command.aggregateId, outcome: outcomeLabel(outcome) }, 'command handled');
  switch (outcome.kind) {
    case 'accepted':
      return {
        aggregateId: command.aggregateId,
        streamName: outcome.streamName,
        revision: Number(outcome.revision),
        position: outcome.position === undefined ? null : outcome.position.commit.toString(),
        consistencyToken: encodeConsistencyToken({ streamName: outcome.streamName, revision: outcome.revision }),
      };
    case 'rejected':
      throw command.toError(outcome.error);
    case 'conflict':
      throw new ConcurrencyConflict(outcome.streamName, revisionOrNull(outcome.expectedRevision), revisionOrNull(outcome.actualRevision));
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}

/** The metrics label: accepted, repeated, the refusal's type, conflict, or error (thrown, e.g. store down). */
function outcomeLabel(outcome: CommandOutcome<{ type: string }> | undefined): string {
  if (outcome === undefined) return 'error';
  switch (outcome.kind) {
    case 'accepted':
      return outcome.repeated ? 'repeated' : 'accepted';
    case 'rejected':
      return outcome.error.type;
    case 'conflict':
      return 'conflict';
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}
