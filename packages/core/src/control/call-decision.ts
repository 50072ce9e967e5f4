import type { MsgHdrs } from 'nats';
import type { ServiceDescription } from '../app/describe';
import { compileMatch, type MatchTest } from './request-match';
import type { MeshRules, MirrorRule, RouteRule } from './rules-model';

/** A version a call can be sent to, with the key the balancer keeps that version's instances of the subject under. */
export interface VersionTarget {
  readonly version: string;
  /** `<subject> <version>` (a space never occurs in a subject), made once here so picking an instance builds no string per call. */
  readonly nodesKey: string;
}

/** A route match rule, compiled (the same matching as faults: {@link compileMatch}). */
interface CompiledMatch {
  /** Undefined for a match without conditions (refused when written): it takes every request. */
  readonly test: MatchTest | undefined;
  readonly to: VersionTarget;
}

/** A route rule compiled for one subject. */
export interface RouteDecision {
  readonly matches: readonly CompiledMatch[];
  /** Cumulative weights, in the order of {@link targets}; empty when the rule has no weights. */
  readonly cumulative: readonly number[];
  readonly targets: readonly VersionTarget[];
}

/** A mirror rule compiled for one subject. */
export interface MirrorDecision {
  readonly to: VersionTarget;
  /** Share of calls copied, 0–1. */
  readonly share: number;
  readonly compare: boolean;
}

/** What the rules say about calls to one subject; a subject without rules has none. */
export interface CallDecision {
  readonly route: RouteDecision | undefined;
  readonly mirror: MirrorDecision | undefined;
}

/**
 * Compiles the route and mirror rules into one decision per endpoint subject, once per change of
 * the rules or of the services known (`services`: the descriptions discovery announces, one or
 * more per service). A route rule covers every endpoint of its service; a mirror rule for an
 * endpoint wins over one for the whole service. Subjects of services without rules get no entry.
 */
export function compileDecisions(rules: MeshRules, services: readonly ServiceDescription[]): Map<string, CallDecision> {
  const decisions = new Map<string, CallDecision>();
  if (rules.routes.length === 0 && rules.mirrors.length === 0) return decisions;
  const routes = new Map(rules.routes.map((r) => [r.service, r]));
  const mirrors = new Map(rules.mirrors.map((m) => [m.endpoint === undefined ? m.service : `${m.service}\0${m.endpoint}`, m]));
  for (const s of services) {
    const route = routes.get(s.name);
    for (const e of s.endpoints) {
      if (decisions.has(e.subject)) continue;
      const mirror = mirrors.get(`${s.name}\0${e.name}`) ?? mirrors.get(s.name);
      const compiled = { route: route && compileRoute(route, e.subject), mirror: mirror && compileMirror(mirror, e.subject) };
      if (compiled.route !== undefined || compiled.mirror !== undefined) decisions.set(e.subject, compiled);
    }
  }
  return decisions;
}

function compileRoute(rule: RouteRule, subject: string): RouteDecision | undefined {
  const matches = (rule.match ?? []).map((m) => ({ test: compileMatch(m), to: target(subject, m.version) }));
  const cumulative: number[] = [];
  const targets: VersionTarget[] = [];
  let total = 0;
  for (const [version, weight] of Object.entries(rule.weights ?? {})) {
    if (!(weight > 0)) continue;
    total += weight;
    cumulative.push(total);
    targets.push(target(subject, version));
  }
  if (matches.length === 0 && targets.length === 0) return undefined;
  // Weights are checked to sum to 100 when written; dividing by their total keeps a pick fair if they do not.
  return { matches, cumulative: cumulative.map((c) => c / total), targets };
}

function compileMirror(rule: MirrorRule, subject: string): MirrorDecision | undefined {
  if (!(rule.percent > 0)) return undefined;
  return { to: target(subject, rule.version), share: Math.min(rule.percent, 100) / 100, compare: rule.compare === true };
}

function target(subject: string, version: string): VersionTarget {
  return { version, nodesKey: `${subject} ${version}` };
}

/**
 * The version a call goes to: the first match rule that the call's headers (names
 * case-insensitive, values exact) and caller satisfy, else a version drawn by weight (`random`
 * in [0, 1)); undefined when neither applies (the call keeps the normal balancing).
 */
export function chooseVersion(route: RouteDecision, headers: MsgHdrs | undefined, caller: string | undefined, random: number): VersionTarget | undefined {
  for (const m of route.matches) if (m.test === undefined || m.test(headers, caller)) return m.to;
  const { cumulative, targets } = route;
  for (let i = 0; i < cumulative.length; i++) if (random < cumulative[i]) return targets[i];
  return targets.length === 0 ? undefined : targets[targets.length - 1];
}

