/**
 * Metadata stored beside every event. `$correlationId` and `$causationId` are EventStoreDB's own keys,
 * so its by-correlation projection and web UI follow a request across streams.
 */
export interface EventMetadata {
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly $correlationId: string;
  readonly $causationId: string;
  readonly commandId: string;
  readonly actor: string;
  readonly reason?: string;
}

/** Who asked for a command and why: the request-side facts that every event of the command carries. */
export interface CommandContext {
  readonly commandId: string;
  readonly correlationId: string;
  readonly actor: string;
  readonly occurredAt: string;
  readonly reason?: string | undefined;
  /** The event that caused the command (a process manager's step); absent when a client asked directly. */
  readonly causationId?: string | undefined;
}

export function eventMetadata(context: CommandContext, schemaVersion: number): EventMetadata {
  return {
    schemaVersion,
    occurredAt: context.occurredAt,
    $correlationId: context.correlationId,
    // The command caused these events, unless an event caused the command (a transfer's step): then that event.
    $causationId: context.causationId ?? context.commandId,
    commandId: context.commandId,
    actor: context.actor,
    ...(context.reason === undefined ? {} : { reason: context.reason }),
  };
}
