import {
  accountErrorMessage,
  eventIdFor,
  type AccountCommandHandler,
  type CommandOutcome,
  type TransferCommandHandler,
  type TransferStreamView,
} from '../command-api/index.ts';
import type { AccountCommand, CommandContext, RequestedTransfer, TransferCommand, TransferStatus } from '../domain/index.ts';

/** The writes a transfer takes, in the order they happen; the fault hook names them. */
export type SagaStep = 'debit' | 'reject' | 'record-debit' | 'credit' | 'record-credit' | 'record-credit-refusal' | 'refund' | 'record-refund';

export interface SagaDependencies {
  readonly accounts: AccountCommandHandler;
  readonly transfers: TransferCommandHandler;
  readonly now: () => Date;
  /** Called after each write; tests use it to crash the process manager between two steps. */
  readonly afterStep?: (transferId: string, step: SagaStep) => Promise<void>;
}

const ACTOR = 'transfers-process-manager';

/**
 * Every step's command id is derived from the transfer and the step, so doing a step again (after a
 * crash, a redelivery, a second worker) is recognised by the handler and appends nothing new.
 * Every event of a transfer is correlated by the transfer id and caused by the event before it.
 */
const stepContext = (deps: SagaDependencies, transferId: string, step: SagaStep, causationId: string | undefined): CommandContext => ({
  commandId: `transfer:${transferId}:${step}`,
  correlationId: transferId,
  causationId,
  actor: ACTOR,
  occurredAt: deps.now().toISOString(),
});

/** Drives a transfer from wherever its stream says it stands to a final status, and answers that status. */
export async function driveTransfer(deps: SagaDependencies, transferId: string): Promise<TransferStatus> {
  // Read once, then carried from step to step; a step that finds the stream moved re-reads it.
  let view: TransferStreamView | undefined;
  const record = async (command: TransferCommand, step: SagaStep, causationId: string | undefined): Promise<void> => {
    view = await recordStep(deps, command, step, causationId, view);
  };
  for (;;) {
    view ??= await deps.transfers.load(transferId);
    const { state, lastEventId } = view;
    switch (state.status) {
      case 'none':
        throw new Error(`transfer ${transferId} has no TransferRequested`);
      case 'requested': {
        const debit = await moveMoney(deps, state, 'debit', lastEventId);
        if (debit.kind === 'accepted') await record({ type: 'RecordDebit', data: { transferId } }, 'record-debit', debit.eventId);
        else await record({ type: 'RejectTransfer', data: { transferId, ...debit.refusal } }, 'reject', lastEventId);
        break;
      }
      case 'debited': {
        const credit = await moveMoney(deps, state, 'credit', lastEventId);
        if (credit.kind === 'accepted') await record({ type: 'RecordCredit', data: { transferId } }, 'record-credit', credit.eventId);
        else await record({ type: 'RecordCreditRefusal', data: { transferId, ...credit.refusal } }, 'record-credit-refusal', lastEventId);
        break;
      }
      case 'credit-refused': {
        const refund = await moveMoney(deps, state, 'refund', lastEventId);
        // A refund is taken even by a closed account (see the account decider); a refusal here is a bug.
        if (refund.kind !== 'accepted') throw new Error(`refund of transfer ${transferId} refused: ${refund.refusal.reason}`);
        await record({ type: 'RecordRefund', data: { transferId } }, 'record-refund', refund.eventId);
        break;
      }
      case 'completed':
      case 'rejected':
      case 'failed':
        return state.status;
      default: {
        const _exhaustive: never = state;
        return _exhaustive;
      }
    }
  }
}

type Movement = { readonly kind: 'accepted'; readonly eventId: string } | { readonly kind: 'refused'; readonly refusal: { code: string; reason: string } };

/** One account leg: withdraw from the source (debit), deposit into the destination (credit) or back into the source (refund). */
async function moveMoney(deps: SagaDependencies, transfer: RequestedTransfer, leg: 'debit' | 'credit' | 'refund', causationId: string | undefined): Promise<Movement> {
  const { transferId, fromAccountId, toAccountId, amount } = transfer;
  const [accountId, counterpartyAccountId] = leg === 'credit' ? [toAccountId, fromAccountId] : [fromAccountId, toAccountId];
  const data = { accountId, amount, transfer: { transferId, counterpartyAccountId, leg } };
  const command: AccountCommand = leg === 'debit' ? { type: 'WithdrawMoney', data } : { type: 'DepositMoney', data };
  const context = stepContext(deps, transferId, leg, causationId);
  const outcome = await deps.accounts.handle({ command, context });
  const settled = settle(outcome, `${leg} of transfer ${transferId}`);
  if (settled !== undefined) return { kind: 'refused', refusal: { code: settled.type, reason: accountErrorMessage(settled) } };
  await deps.afterStep?.(transferId, leg);
  // The leg appended one event, whose id the handler derived from the command id.
  return { kind: 'accepted', eventId: eventIdFor(context.commandId, 0) };
}

/** Records a step; answers the stream after it, or undefined when the caller should re-read it. */
async function recordStep(
  deps: SagaDependencies,
  command: TransferCommand,
  step: SagaStep,
  causationId: string | undefined,
  known: TransferStreamView | undefined,
): Promise<TransferStreamView | undefined> {
  const context = stepContext(deps, command.data.transferId, step, causationId);
  const { outcome, view } = await deps.transfers.step({ command, context, known });
  // Another worker recorded a step first: re-read the stream and carry on from there.
  if (outcome.kind === 'rejected' && outcome.error.type === 'TransferStepOutOfOrder') return undefined;
  const refused = settle(outcome, `${step} of transfer ${command.data.transferId}`);
  if (refused !== undefined) throw new Error(`${step} of transfer ${command.data.transferId} refused: ${refused.type}`);
  await deps.afterStep?.(command.data.transferId, step);
  return view;
}

/** undefined when accepted; the refusal when refused; throws on a conflict that outlasted the handler's retries. */
function settle<Refusal>(outcome: CommandOutcome<Refusal>, what: string): Refusal | undefined {
  switch (outcome.kind) {
    case 'accepted':
      return undefined;
    case 'rejected':
      return outcome.error;
    case 'conflict':
      throw new Error(`${what}: ${outcome.streamName} kept changing; will retry`);
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}
