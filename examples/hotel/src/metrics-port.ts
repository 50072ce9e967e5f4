/** The port the hotel serves Prometheus metrics on when METRICS_PORT is not set (the OpenTelemetry/Prometheus exporter default). */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * The metrics port from the METRICS_PORT environment variable (0 picks a free port), else `fallback`.
 *
 * @throws Error naming the variable when it is not a port number.
 */
export function metricsPortFromEnv(fallback: number = DEFAULT_METRICS_PORT): number {
  const text = process.env.METRICS_PORT;
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`METRICS_PORT is "${text}": use a port from 0 to 65535 (0 picks a free one), or unset it for ${DEFAULT_METRICS_PORT}.`);
  }
  return port;
}
