/**
 * The live rules of the control plane, as stored in the JetStream KV bucket {@link RULES_BUCKET}
 * (one JSON value per key, see {@link ruleKey}) and as written in a declarative mesh file
 * (`natsmesh apply -f mesh.yaml`). Names follow Istio's VirtualService where one exists
 * (route `match`, `weight`, `mirror` with a percentage, `fault.delay` / `fault.abort`).
 *
 * Percentages and weights are whole or fractional numbers in [0, 100]; durations are milliseconds;
 * times are epoch milliseconds.
 */

/** The JetStream KV bucket of the rules. */
export const RULES_BUCKET = 'natsmesh_rules';

/** What a request is matched on: header values (exact, header names case-insensitive) and/or the calling service. */
export interface RequestMatch {
  /** Header name → exact value, e.g. `{ 'x-canary': '1' }`; every entry must match. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The calling service's name (`@Service` name, or a caller's `createClient({ name })`). */
  readonly caller?: string;
}

/** A match rule of a route: matching requests go to `version`. First match wins. */
export interface RouteMatchRule extends RequestMatch {
  readonly version: string;
}

/**
 * Traffic shifting for one service (every endpoint), by the versions its instances announce
 * (`@Service({ version })`). Key: `route.<service>`.
 */
export interface RouteRule {
  readonly service: string;
  /** Match rules, tried in order before the weights. */
  readonly match?: readonly RouteMatchRule[];
  /** Version → weight; weights sum to 100. Absent: requests not matched keep the normal balancing. */
  readonly weights?: Readonly<Record<string, number>>;
}

/**
 * Copies a share of requests to one endpoint (or every endpoint of the service) to another version;
 * the caller sees only the primary's reply. Key: `mirror.<service>` or `mirror.<service>.<endpoint>`.
 */
export interface MirrorRule {
  readonly service: string;
  /** The endpoint name (`save` of `hotel.booking.save`); absent for all of the service's endpoints. */
  readonly endpoint?: string;
  /** The version the copies go to. */
  readonly version: string;
  /** Share of requests copied, 0–100. */
  readonly percent: number;
  /** Count whether the mirror's reply equals the primary's (JSON-equal). Default false. */
  readonly compare?: boolean;
}

/**
 * An injected fault (Istio `fault`), scoped by service, endpoint, version and match; applied by
 * the serving instances (`where: 'server'`, every caller sees it) or by natsmesh clients before
 * they send (`'client'`). Ends by itself at `expiresAt`. Key: `fault.<name>`.
 */
export interface FaultRule {
  /** The rule's name, `[A-Za-z0-9_-]+`. */
  readonly name: string;
  readonly service: string;
  readonly endpoint?: string;
  /** Only instances (server) or only calls routed to instances (client) of this version. */
  readonly version?: string;
  readonly match?: RequestMatch;
  /** Delay a share of the matching requests by `ms`. */
  readonly delay?: { readonly ms: number; readonly percent: number };
  /** Fail a share of the matching requests with `code` (a natsmesh error code, e.g. `UNAVAILABLE`). */
  readonly abort?: { readonly code: string; readonly percent: number };
  /** Default `'server'`. */
  readonly where?: 'server' | 'client';
  /** Epoch ms after which the fault no longer applies (required: a forgotten fault ends by itself). */
  readonly expiresAt: number;
}

/** The success criteria of a canary step, read from live per-version figures over the last interval. */
export interface CanaryCriteria {
  /** Highest error ratio (0–1) of the canary version; e.g. 0.01. */
  readonly maxErrorRatio?: number;
  /** Highest canary p99 latency as a multiple of the baseline version's p99; e.g. 1.5. */
  readonly maxP99Ratio?: number;
  /** Fewest canary requests in the interval before a step can be judged; fewer pauses the rollout. */
  readonly minRequests?: number;
}

/** An automated canary rollout of a service from one version to another. Key: `canary.<service>`. */
export interface CanaryRule {
  readonly service: string;
  /** The version in service now (the baseline). */
  readonly from: string;
  /** The new version. */
  readonly to: string;
  /** Canary weights in percent, increasing, ending at 100 (blue/green: `[100]`). */
  readonly steps: readonly number[];
  /** Time each step runs before it is judged, ms. */
  readonly intervalMs: number;
  readonly criteria: CanaryCriteria;
}

/** The state of a rollout, kept by the controller in `canary-state.<service>`. */
export interface CanaryState {
  readonly service: string;
  /** The baseline version of the rollout this state follows (`CanaryRule.from`). */
  readonly from: string;
  /** The new version (`CanaryRule.to`): a canary rule with another `from` or `to` starts a new rollout. */
  readonly to: string;
  /** Index into `steps`; -1 before the first step. */
  readonly step: number;
  /** The canary's share of traffic now, percent (0 after a rollback). */
  readonly weight: number;
  readonly phase: 'progressing' | 'paused' | 'succeeded' | 'rolled-back';
  /** Why the last decision was taken, for `natsmesh canary status`. */
  readonly reason: string;
  /** Epoch ms of the last decision. */
  readonly updatedAt: number;
}

/** Every rule in force, as read from the bucket or a mesh file. */
export interface MeshRules {
  readonly routes: readonly RouteRule[];
  readonly mirrors: readonly MirrorRule[];
  readonly faults: readonly FaultRule[];
  readonly canaries: readonly CanaryRule[];
}

/** The KV key of a rule. */
export function ruleKey(kind: 'route', rule: RouteRule): string;
export function ruleKey(kind: 'mirror', rule: MirrorRule): string;
export function ruleKey(kind: 'fault', rule: FaultRule): string;
export function ruleKey(kind: 'canary', rule: CanaryRule): string;
export function ruleKey(kind: 'route' | 'mirror' | 'fault' | 'canary', rule: RouteRule | MirrorRule | FaultRule | CanaryRule): string {
  if (kind === 'fault') return `fault.${(rule as FaultRule).name}`;
  const endpoint = kind === 'mirror' ? (rule as MirrorRule).endpoint : undefined;
  return `${kind}.${rule.service}${endpoint === undefined ? '' : `.${endpoint}`}`;
}

/** What a running app or client reads the rules in force through: a snapshot that changes as the bucket does. */
export interface RulesView {
  /** The rules in force now; replaced as a whole on each change (never mutated). */
  current(): MeshRules;
  /** Called after each change; returns a function that stops it. */
  onChange(listener: (rules: MeshRules) => void): () => void;
}

/** No rules: what a process without JetStream (control plane off) sees. */
export const NO_RULES: MeshRules = Object.freeze({ routes: [], mirrors: [], faults: [], canaries: [] });
