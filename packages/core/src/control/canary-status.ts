import type { KV, NatsConnection } from 'nats';
import { drainAndClose, type NatsInput } from '../client/nats-connection';
import { MeshError } from '../errors/mesh-error';
import { checkMillis, describeValue } from '../options/check-millis';
import { canaryStateOf, canaryStateKey } from './canary-state';
import { openControlConnection } from './control-connection';
import { bindRulesBucket, isBucketMissing } from './rules-bucket';
import { checkRule } from './check-rule';
import type { CanaryRule, CanaryState } from './rules-model';
import { figuresBetween, gatherStats, type StatsSnapshot, type VersionFigures } from './version-figures';

/** What `natsmesh canary status` shows of one service. */
export interface CanaryStatus {
  readonly service: string;
  /** The canary rule in force; absent when there is none (a state may outlive its rule). */
  readonly rule?: CanaryRule;
  /** Where the rollout stands, as its controller stored it; absent before a controller took it up. */
  readonly state?: CanaryState;
  /** The live figures of each version running, sorted by version (see {@link CanaryStatusOptions.windowMs}). */
  readonly figures: readonly VersionFigures[];
}

/** Options of {@link readCanaryStatus}. */
export interface CanaryStatusOptions {
  /** Connection options, or an open connection that the caller keeps owning. */
  nats?: NatsInput;
  /** Only this service (shown even without a rule or state); default every service with a canary rule or state. */
  service?: string;
  /**
   * The figures cover this window, ms: two `$SRV.STATS` gathers this far apart (default 1000);
   * 0 for one gather and the figures since each instance started.
   */
  windowMs?: number;
  /** The JetStream domain of the rules bucket; default none. */
  domain?: string;
}

const NEVER: StatsSnapshot = { at: 0, instances: new Map() };

/**
 * The state of each canary rollout (`canary-state.<service>`) with its rule, and the live
 * per-version figures of the service (requests, errors, error ratio, p99 from every instance's
 * `$SRV.STATS`), for `natsmesh canary status`.
 *
 * @throws MeshError `INVALID_OPTIONS`, `UNAVAILABLE` when no NATS server answers, `JETSTREAM_UNAVAILABLE`.
 */
export async function readCanaryStatus(options: CanaryStatusOptions = {}): Promise<CanaryStatus[]> {
  if (typeof options !== 'object' || options === null) throw new MeshError('INVALID_OPTIONS', `readCanaryStatus options are ${describeValue(options)}: pass an object such as { nats: { servers } }.`);
  const windowMs = checkMillis(options.windowMs ?? 1000, 'readCanaryStatus option windowMs', true);
  if (options.service !== undefined && (typeof options.service !== 'string' || options.service === '')) {
    throw new MeshError('INVALID_OPTIONS', `readCanaryStatus option service is ${describeValue(options.service)}: name a service, e.g. 'hotel.booking'.`);
  }
  const { nc, owns } = await openControlConnection(options, 'readCanaryStatus', 'natsmesh-canary-status');
  try {
    const { rules, states } = await readRollouts(nc, options.domain, options.service);
    const services = options.service !== undefined ? [options.service] : [...new Set([...rules.keys(), ...states.keys()])].sort();
    return await Promise.all(
      services.map(async (service) => {
        const figures = [...(await windowFigures(nc, service, windowMs)).values()].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
        const rule = rules.get(service);
        const state = states.get(service);
        return { service, ...(rule === undefined ? {} : { rule }), ...(state === undefined ? {} : { state }), figures };
      }),
    );
  } finally {
    if (owns) await drainAndClose(nc);
  }
}

async function windowFigures(nc: NatsConnection, service: string, windowMs: number): Promise<Map<string, VersionFigures>> {
  if (windowMs === 0) return figuresBetween(NEVER, await gatherStats(nc, service));
  const first = await gatherStats(nc, service);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  return figuresBetween(first, await gatherStats(nc, service));
}

// The canary rules and states in the bucket (of one service when given), by service.
async function readRollouts(nc: NatsConnection, domain: string | undefined, only: string | undefined) {
  const rules = new Map<string, CanaryRule>();
  const states = new Map<string, CanaryState>();
  try {
    const kv = await bindRulesBucket(nc, domain);
    // One filter per listing: nats-server 2.9 takes no list of filters.
    const keys = only !== undefined ? [`canary.${only}`, canaryStateKey(only)] : [...(await listKeys(kv, 'canary.>')), ...(await listKeys(kv, 'canary-state.>'))];
    for (const key of keys) {
      const entry = await kv.get(key);
      if (entry === null || entry.operation !== 'PUT') continue;
      if (key.startsWith('canary-state.')) {
        const service = key.slice('canary-state.'.length);
        const state = canaryStateOf(entry.value, service);
        if (state !== undefined) states.set(service, state);
      } else {
        try {
          const rule = checkRule('canary', JSON.parse(new TextDecoder().decode(entry.value)));
          if (`canary.${rule.service}` === key) rules.set(rule.service, rule);
        } catch {
          // not a valid rule: apps skip it too
        }
      }
    }
  } catch (err) {
    if (isBucketMissing(err)) return { rules, states };
    if ((err as { code?: unknown } | undefined)?.code === '503') throw new MeshError('JETSTREAM_UNAVAILABLE', 'The NATS server has no JetStream, so it holds no canary rollouts: start nats-server with -js.', undefined, { cause: err });
    throw err;
  }
  return { rules, states };
}

async function listKeys(kv: KV, filter: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of await kv.keys(filter)) keys.push(key);
  return keys;
}
