import { MeshError } from '../errors/mesh-error';
import { checkNumber, describeValue } from '../options/check-millis';
import { checkKnownKeys } from '../options/check-known-keys';

/** Options of `createApp({ metrics })`: where the Prometheus endpoint listens. */
export interface MetricsOptions {
  /** TCP port of the HTTP server (0: a free port, see `app.metricsUrl`). */
  port: number;
  /** Interface to listen on; default all interfaces (Node's default). */
  host?: string;
  /** Path of the Prometheus text; default `/metrics` (`/healthz` and `/readyz` are fixed). */
  path?: string;
  /** Also collect prom-client's default process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

/** The metrics options with defaults filled in. */
export interface CheckedMetricsOptions {
  readonly port: number;
  readonly host: string | undefined;
  readonly path: string;
  readonly defaultMetrics: boolean;
}

const WHERE = 'createApp option metrics';
const KEYS: readonly (keyof MetricsOptions)[] = ['port', 'host', 'path', 'defaultMetrics'];
// The server's own paths: a metrics path on one of them (or with a trailing slash) would be taken for it.
const FIXED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/healthz/', '/readyz/']);

/**
 * Checks `createApp({ metrics })`; undefined when metrics are off (absent or `false`).
 *
 * @throws MeshError `INVALID_OPTIONS` naming the option and what it takes, or a key that is not an option.
 */
export function checkMetricsOptions(value: unknown): CheckedMetricsOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MeshError('INVALID_OPTIONS', `${WHERE} is ${describeValue(value)}: use { port, host?, path? } (port 0 picks a free one), or false.`);
  }
  checkKnownKeys(value, KEYS, WHERE);
  const o = value as Partial<MetricsOptions>;
  const port = checkNumber(o.port, `${WHERE}.port`, 0, 65535, true);
  if (o.host !== undefined && (typeof o.host !== 'string' || o.host.trim() === '')) {
    throw new MeshError('INVALID_OPTIONS', `${WHERE}.host is ${describeValue(o.host)}: use an address or host name such as "0.0.0.0" or "127.0.0.1", or leave it out.`);
  }
  const path = o.path ?? '/metrics';
  if (typeof path !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(path) || FIXED_PATHS.has(path)) {
    throw new MeshError('INVALID_OPTIONS', `${WHERE}.path is ${describeValue(path)}: use a path starting with "/" such as "/metrics" (not /healthz or /readyz, with or without a trailing slash, and no query).`);
  }
  if (o.defaultMetrics !== undefined && typeof o.defaultMetrics !== 'boolean') {
    throw new MeshError('INVALID_OPTIONS', `${WHERE}.defaultMetrics is ${describeValue(o.defaultMetrics)}: use true or false.`);
  }
  return { port, host: o.host, path, defaultMetrics: o.defaultMetrics ?? true };
}
