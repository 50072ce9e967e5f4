import type { HealthStatus } from './readiness';

/**
 * What an app answers on `$NATSMESH.HEALTH` and `$NATSMESH.HEALTH.<id>`, and what `app.health()`
 * returns: one JSON object per app instance.
 */
export interface HealthReport {
  /** The app's instance id. */
  id: string;
  /** `ready`, or why not (see {@link HealthStatus}); the same rule as `/readyz`. */
  status: HealthStatus;
  /** One sentence saying why the app is not ready; absent when ready. */
  reason?: string;
  /** Milliseconds since `app.start()` was called; 0 when the app is not running (`created`, also after a failed start, and `stopped`). */
  uptime: number;
  /** Handler runs (requests and events) in flight now. */
  inFlight: number;
  /** The services the app hosts. */
  services: { name: string; version: string }[];
  /** Host name of the process. */
  host: string;
  /** Zone of the instance, when given. */
  zone?: string;
}
