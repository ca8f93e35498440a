import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * prom-client's default set includes three gauges whose names end in `_total`, which Prometheus
 * reserves for counters (`promtool check metrics` rejects them). Their per-type siblings
 * (`nodejs_active_handles{type}`, `nodejs_active_requests{type}`, `nodejs_active_resources{type}`)
 * carry the same numbers: `sum()` over them gives the totals.
 */
const MISNAMED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * The process-wide Prometheus registry with the standard default series (`process_*`, `nodejs_*`,
 * unprefixed so stock dashboards work). Default metrics are collected here and only here: calling
 * `collectDefaultMetrics` twice on one registry throws.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  return registry;
}
