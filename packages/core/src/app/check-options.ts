import { checkClientOptions } from '../client/check-client-options';
import { MeshError } from '../errors/mesh-error';
import { checkMillis, checkNumber, describeValue } from '../options/check-millis';
import { checkKnownKeys } from '../options/check-known-keys';
import { checkedBulkhead, checkedRateLimit } from '../scanner/resilience-check';
import type { AppOptions } from './app-options';
import { checkAppShapes } from './check-app-shapes';
import { checkMetricsOptions, type CheckedMetricsOptions } from '../metrics/metrics-options';

/** The numbers createApp runs with, checked and with defaults filled in. */
export interface CheckedAppOptions {
  readonly timeout: number;
  readonly drainTimeout: number;
  /** 0 when discovery is off. */
  readonly heartbeatInterval: number;
  readonly maxPayload: number | undefined;
  /** Undefined when metrics are off. */
  readonly metrics: CheckedMetricsOptions | undefined;
}

const WHERE = 'createApp';

/**
 * Checks every option of {@link createApp} that is not a service definition, before anything is built.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option and its allowed range, or a key of `discovery`, `instance` or `metrics` that is not an option.
 */
export function checkAppOptions(options: AppOptions): CheckedAppOptions {
  if (typeof options !== 'object' || options === null) throw new MeshError('INVALID_OPTIONS', `${WHERE} options are ${describeValue(options)}: pass an object.`);
  if (options.services !== undefined && !Array.isArray(options.services)) {
    throw new MeshError('INVALID_OPTIONS', `${WHERE} option services is ${describeValue(options.services)}: use a list of @Service classes.`);
  }
  checkAppShapes(options);
  const timeout = options.timeout === undefined ? 5000 : checkMillis(options.timeout, `${WHERE} option timeout`);
  const drainTimeout = options.drainTimeout === undefined ? 10_000 : checkMillis(options.drainTimeout, `${WHERE} option drainTimeout`);
  const maxPayload = options.maxPayload === undefined ? undefined : checkNumber(options.maxPayload, `${WHERE} option maxPayload (bytes)`, 1, Number.MAX_SAFE_INTEGER, true);
  const discovery = options.discovery;
  if (discovery !== undefined && discovery !== false && (typeof discovery !== 'object' || discovery === null)) {
    throw new MeshError('INVALID_OPTIONS', `${WHERE} option discovery is ${describeValue(discovery)}: use { heartbeatInterval } or false.`);
  }
  if (typeof discovery === 'object') checkKnownKeys(discovery, ['heartbeatInterval'], `${WHERE} option discovery`);
  const heartbeatInterval =
    discovery === false ? 0 : discovery?.heartbeatInterval === undefined ? 5000 : checkMillis(discovery.heartbeatInterval, `${WHERE} option discovery.heartbeatInterval`);
  const instance = options.instance;
  if (typeof instance === 'object' && instance !== null) checkKnownKeys(instance, ['id', 'zone'], `${WHERE} option instance`);
  checkClientOptions({ resilience: options.resilience, strategy: options.strategy, zone: typeof instance === 'object' ? instance?.zone : undefined }, WHERE);
  const resilience = options.resilience;
  if (resilience?.rateLimit !== undefined) checkedRateLimit(resilience.rateLimit, `${WHERE} option resilience`);
  if (resilience?.bulkhead !== undefined) checkedBulkhead(resilience.bulkhead, `${WHERE} option resilience`);
  const metrics = checkMetricsOptions(options.metrics);
  return { timeout, drainTimeout, heartbeatInterval, maxPayload, metrics };
}
