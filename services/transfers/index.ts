// services/transfers: the process manager that drives each transfer (debit, credit, or compensate).
export { readTransfersEnv, transfersEnvSchema, type TransfersEnv } from './env.ts';
export { createTransferMetrics, type TransferMetrics } from './metrics.ts';
export { TRANSFERS_GROUP, TransferProcessManager, type TransferProcessManagerOptions } from './process-manager.ts';
export type { SagaStep } from './saga.ts';
