import type { Registry } from 'prom-client';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import { ClientMetrics } from './client-metrics';
import { loadPromClient } from './load-prom-client';

/**
 * The client metrics of `createClient({ metrics })`: undefined when off (absent or `false`; then
 * prom-client is not loaded), a new registry for `true`, else the prom-client `Registry` given.
 * The warning about the subject cap goes to `process.emitWarning`.
 *
 * @throws MeshError `INVALID_OPTIONS` for anything else, or a registry already holding natsmesh client metrics of another natsmesh copy.
 */
export function clientMetricsOption(value: unknown, where: string): ClientMetrics | undefined {
  if (value === undefined || value === false) return undefined;
  const warn = (message: string) => process.emitWarning(message, { code: 'NATSMESH_METRICS_SUBJECTS' });
  if (value === true) return ClientMetrics.of(new (loadPromClient().Registry)(), warn);
  if (!isRegistry(value)) {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${where} option metrics is ${describeValue(value)}: pass a prom-client Registry to count into (new Registry(), or app.metrics), true for a new one (client.metrics), or false.`,
    );
  }
  return ClientMetrics.of(value, warn);
}

// Duck-typed: the caller's prom-client may be another copy than natsmesh's, so instanceof would fail.
function isRegistry(value: unknown): value is Registry {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<'registerMetric' | 'getSingleMetric' | 'metrics', unknown>>;
  return typeof r.registerMetric === 'function' && typeof r.getSingleMetric === 'function' && typeof r.metrics === 'function';
}
