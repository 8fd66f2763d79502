import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry per service instance rather than prom-client's global one, so that two instances in one
 * process (as in tests) keep separate counts and never collide on metric names.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The /metrics answer in the Prometheus text format. */
export async function metricsResponse(registry: Registry): Promise<Response> {
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
}
