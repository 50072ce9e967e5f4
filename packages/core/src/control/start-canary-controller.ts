import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { drainAndClose, type NatsInput } from '../client/nats-connection';
import { MeshError } from '../errors/mesh-error';
import { resolveLogger } from '../logging/app-logger';
import type { Logger } from '../logging/logger';
import { checkMillis, describeValue } from '../options/check-millis';
import { CanaryController } from './canary-controller';
import { openControlConnection } from './control-connection';
import { MeshAdmin } from './mesh-admin';
import { createRulesBucket } from './rules-bucket';
import { watchRules } from './watch-rules';

/** Options of {@link startCanaryController}. */
export interface CanaryControllerOptions {
  /** Connection options, or an open connection that the caller keeps owning (closing it stops the controller). */
  nats?: NatsInput;
  /** Drive only these services' canary rules; default every canary rule in the bucket. */
  services?: readonly string[];
  /**
   * How long a lock lasts unless renewed, ms (default 15000): a controller renews its locks every
   * third of it, and another resumes the rollouts of one that died this long after its last renewal.
   */
  lockTtlMs?: number;
  /** This controller's id in the locks; default `<host>-<pid>-<random>`. */
  id?: string;
  /** The JetStream domain of the rules bucket; default none. */
  domain?: string;
  /** Where decisions and failures are logged: a pino logger, or false; default natsmesh's logger. */
  logger?: Logger | false;
}

/** Default {@link CanaryControllerOptions.lockTtlMs}. */
export const DEFAULT_CANARY_LOCK_TTL_MS = 15_000;

/**
 * Starts a controller of the automated canary rollouts written with `admin.canaries.set(rule)`
 * (what `natsmesh canary` runs). For each canary rule, one controller at a time (a lock with
 * expiry in the rules bucket, `canary-lock.<service>`) shifts traffic from `rule.from` to
 * `rule.to` in `rule.steps` through the route weights; after each `rule.intervalMs` it gathers
 * the per-version figures from every instance's `$SRV.STATS` and judges `rule.criteria`:
 * too few canary requests pause the rollout; an error ratio or a p99 (against the baseline
 * version's) above the criteria rolls it back to 0%; otherwise it advances, and after the last
 * step (100%) it succeeds. Each decision is stored as a `CanaryState` in `canary-state.<service>`
 * and published on `$NATSMESH.CANARY.<service>`. A controller that dies leaves its locks to
 * expire; another resumes from the stored step. A rollout starts anew when the canary rule
 * names other versions than the stored state; a finished one (succeeded, rolled back) of the
 * same versions is left alone.
 *
 * Traffic follows the weights in natsmesh callers that route by the rules (client-side).
 *
 * @example
 * const admin = await createAdmin({ nats: { servers } });
 * await admin.canaries.set({ service: 'hotel.booking', from: '1.2.0', to: '2.0.0', steps: [5, 25, 50, 100],
 *   intervalMs: 60_000, criteria: { maxErrorRatio: 0.01, maxP99Ratio: 1.5, minRequests: 100 } });
 * const controller = await startCanaryController({ nats: { servers } });
 * // … controller.stop() releases its locks
 * @throws MeshError `INVALID_OPTIONS` for a bad option, `UNAVAILABLE` when no NATS server answers,
 * `JETSTREAM_UNAVAILABLE` when the server has no JetStream, `FORBIDDEN` when the user may not use the rules bucket.
 */
export async function startCanaryController(options: CanaryControllerOptions = {}): Promise<CanaryController> {
  if (typeof options !== 'object' || options === null) throw new MeshError('INVALID_OPTIONS', `startCanaryController options are ${describeValue(options)}: pass an object such as { nats: { servers } }.`);
  const lockTtlMs = checkMillis(options.lockTtlMs ?? DEFAULT_CANARY_LOCK_TTL_MS, 'startCanaryController option lockTtlMs');
  if (options.services !== undefined && (!Array.isArray(options.services) || options.services.some((s) => typeof s !== 'string' || s === ''))) {
    throw new MeshError('INVALID_OPTIONS', `startCanaryController option services is ${describeValue(options.services)}: list the service names, e.g. ['hotel.booking'].`);
  }
  if (options.id !== undefined && (typeof options.id !== 'string' || options.id === '')) {
    throw new MeshError('INVALID_OPTIONS', `startCanaryController option id is ${describeValue(options.id)}: use a non-empty string.`);
  }
  const logger = resolveLogger(options.logger, 'startCanaryController');
  const { nc, owns } = await openControlConnection(options, 'startCanaryController', 'natsmesh-canary');
  try {
    if (nc.info?.jetstream !== true) throw new MeshError('JETSTREAM_UNAVAILABLE', 'The NATS server runs without JetStream, so it holds no canary rules: start nats-server with -js.');
    const kv = await createRulesBucket(nc, options.domain);
    const view = await watchRules(nc, { logger, domain: options.domain });
    const admin = new MeshAdmin({ nc, owns: false, domain: options.domain, warnings: false, logger });
    const id = options.id ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return new CanaryController({ id, nc, owns, kv, admin, view, logger, lockTtlMs, services: options.services === undefined ? undefined : new Set(options.services) });
  } catch (err) {
    if (owns) await drainAndClose(nc).catch(() => undefined);
    throw err;
  }
}
