import { Counter, Histogram, type Registry } from 'prom-client';

export interface QueryMetrics {
  /** Starts timing one GraphQL operation; call the returned function when its result is ready. */
  readonly startOperationTimer: (operation: string) => () => void;
  /** One consistency wait by outcome: `immediate` (already there), `waited`, or `timeout`. */
  readonly recordConsistencyWait: (outcome: 'immediate' | 'waited' | 'timeout', seconds: number) => void;
}

export function createQueryMetrics(registry: Registry): QueryMetrics {
  const duration = new Histogram({
    name: 'query_duration_seconds',
    help: 'Time to execute a GraphQL query, by operation (the root fields it asks for).',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const waits = new Counter({
    name: 'query_consistency_waits_total',
    help: 'Queries that passed a consistencyToken, by outcome: immediate, waited, timeout.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const waitDuration = new Histogram({
    name: 'query_consistency_wait_seconds',
    help: 'Time spent waiting for a read model to reach a consistencyToken.',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    startOperationTimer: (operation) => duration.startTimer({ operation }),
    recordConsistencyWait: (outcome, seconds) => {
      waits.inc({ outcome });
      waitDuration.observe({ outcome }, seconds);
    },
  };
}
