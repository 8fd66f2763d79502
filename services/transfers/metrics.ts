import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface TransferMetrics {
  readonly finished: Counter<'status'>;
  readonly failures: Counter;
  readonly inFlight: Gauge;
  readonly driveSeconds: Histogram<'status'>;
  readonly subscriptionDrops: Counter<'reason'>;
}

export function createTransferMetrics(registry: Registry): TransferMetrics {
  const registers = [registry];
  return {
    finished: new Counter({ name: 'transfers_finished_total', help: 'Transfers driven to a final status by this worker, by status.', labelNames: ['status'], registers }),
    failures: new Counter({ name: 'transfers_drive_failures_total', help: 'Drives that threw (store unreachable, conflicts); nacked and retried.', registers }),
    inFlight: new Gauge({ name: 'transfers_in_flight', help: 'Transfers this worker is driving now.', registers }),
    driveSeconds: new Histogram({
      name: 'transfers_drive_seconds',
      help: 'Time from taking a TransferRequested to its final status, by status.',
      labelNames: ['status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    subscriptionDrops: new Counter({
      name: 'transfers_subscription_drops_total',
      help: 'Times the group subscription dropped and the worker rejoined, by the error class (NotLeaderError and UnavailableError on a leader change or a restart).',
      labelNames: ['reason'],
      registers,
    }),
  };
}
