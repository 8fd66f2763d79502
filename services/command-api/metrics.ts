import { Counter, Histogram, type Registry } from 'prom-client';

export interface CommandMetrics {
  /** Starts timing one mutation; call the returned function with its outcome when it is done. */
  readonly startCommandTimer: (mutation: string) => (outcome: string) => void;
  readonly countConflictRetry: (command: string) => void;
  readonly countRateLimited: (mutation: string) => void;
}

export function createCommandMetrics(registry: Registry): CommandMetrics {
  const duration = new Histogram({
    name: 'command_duration_seconds',
    help: 'Time to handle a command mutation, from resolver start to result, by mutation and outcome.',
    labelNames: ['mutation', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'command_conflict_retries_total',
    help: 'Commands re-read and retried after a wrong-expected-version conflict, by command type.',
    labelNames: ['command'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'command_rate_limited_total',
    help: 'Mutations refused with RateLimited, by mutation.',
    labelNames: ['mutation'],
    registers: [registry],
  });
  return {
    startCommandTimer: (mutation) => {
      const end = duration.startTimer({ mutation });
      return (outcome) => end({ outcome });
    },
    countConflictRetry: (command) => retries.inc({ command }),
    countRateLimited: (mutation) => rateLimited.inc({ mutation }),
  };
}
