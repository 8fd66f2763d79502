import { Counter, Gauge, type Registry } from 'prom-client';

/** Per-group projector metrics; applies/s is `rate(projector_events_applied_total[1m])`. */
export interface ProjectorMetrics {
  readonly applied: Counter<'group'>;
  readonly duplicates: Counter<'group'>;
  readonly retries: Counter<'group' | 'reason'>;
  readonly unhandled: Counter<'group'>;
  readonly inFlight: Gauge<'group'>;
  readonly parked: Gauge<'group'>;
  readonly lag: Gauge<'group'>;
  readonly subscriptionDrops: Counter<'group' | 'reason'>;
}

export function createProjectorMetrics(registry: Registry): ProjectorMetrics {
  const registers = [registry];
  return {
    applied: new Counter({ name: 'projector_events_applied_total', help: 'Events written to the read model.', labelNames: ['group'], registers }),
    duplicates: new Counter({
      name: 'projector_events_duplicate_total',
      help: 'Redelivered events found already applied and acked without writing.',
      labelNames: ['group'],
      registers,
    }),
    retries: new Counter({
      name: 'projector_retries_total',
      help: 'Retries by reason: gap (nacked, an earlier revision was missing), redis (write failed, retried with backoff), unhandled (nacked, the projection cannot handle the event).',
      labelNames: ['group', 'reason'],
      registers,
    }),
    unhandled: new Counter({
      name: 'projector_events_unhandled_total',
      help: 'Deliveries of events the projection cannot handle (nacked; parked by the server after maxRetryCount).',
      labelNames: ['group'],
      registers,
    }),
    inFlight: new Gauge({ name: 'projector_events_in_flight', help: 'Events delivered to this worker and not yet acked or nacked.', labelNames: ['group'], registers }),
    parked: new Gauge({ name: 'projector_events_parked', help: "Events in the group's parked stream, as the server reports.", labelNames: ['group'], registers }),
    lag: new Gauge({
      name: 'projector_lag_events',
      help: "Matching events in $all after the group's last checkpoint (capped by the scan limit).",
      labelNames: ['group'],
      registers,
    }),
    subscriptionDrops: new Counter({
      name: 'projector_subscription_drops_total',
      help: 'Times the group subscription dropped and the worker rejoined, by the error class (NotLeaderError and UnavailableError on a leader change or a restart).',
      labelNames: ['group', 'reason'],
      registers,
    }),
  };
}
