// services/domain: the banking rules. Pure functions and data; no I/O.
export type { AccountCommand, AccountCommandType } from './account/commands.ts';
export { decodeAccountEvent, encodeAccountEvent, isAccountEventType, type StoredAccountEvent } from './account/codec.ts';
export { decide, MAX_HOLDER_NAME_LENGTH, type Decision } from './account/decide.ts';
export type { AccountError, AccountErrorType } from './account/errors.ts';
export {
  accountEventTypes,
  accountStreamName,
  accountStreamPrefix,
  type AccountEvent,
  type AccountEventType,
} from './account/events.ts';
export { evolve, fold, initialState, stateRecordedBy, type AccountState } from './account/state.ts';
export { accountUpcasters } from './account/upcasters.ts';
export { decodeConsistencyToken, encodeConsistencyToken, type ConsistencyPoint } from './consistency-token.ts';
export type { JsonObject, JsonValue } from './json.ts';
export { eventMetadata, type CommandContext, type EventMetadata } from './metadata.ts';
export {
  checkAmount,
  currencyCodes,
  describeAmountProblem,
  exponentOf,
  formatMinor,
  formatMoney,
  isCurrencyCode,
  MAX_AMOUNT_MAJOR_UNITS,
  maxAmountMinor,
  parseAmount,
  type AmountProblem,
  type CurrencyCode,
  type Money,
  type ParsedAmount,
} from './money.ts';
export { ERASED, type Open, type Seal, type SealedText } from './personal-data.ts';
export { createUpcasterChain, UnknownSchemaVersionError, type Upcaster, type UpcasterChain } from './upcasting.ts';
export type { MoneyMovement } from './account/commands.ts';
export type { MovementRecord } from './account/events.ts';
export type { TransferCommand, TransferCommandType } from './transfer/commands.ts';
export { decodeTransferEvent, encodeTransferEvent, isTransferEventType, type StoredTransferEvent } from './transfer/codec.ts';
export { decideTransfer, type TransferDecision } from './transfer/decide.ts';
export type { TransferError, TransferErrorType } from './transfer/errors.ts';
export {
  transferEventTypes,
  transferStreamName,
  transferStreamPrefix,
  type TransferEvent,
  type TransferEventType,
  type TransferLink,
  type TransferRefusal,
} from './transfer/events.ts';
export {
  evolveTransfer,
  finalTransferStatuses,
  foldTransfer,
  initialTransferState,
  type RequestedTransfer,
  type TransferState,
  type TransferStatus,
} from './transfer/state.ts';
export { transferUpcasters } from './transfer/upcasters.ts';
