import { isDeepStrictEqual } from 'node:util';
import { RULE_KINDS, ruleKey, type FaultRule, type MeshRules, type RuleKind } from '@natsmesh/core';

/** One rule of a mesh file, with its key and its place in the file (`routes.0`). */
export interface PlannedRule {
  readonly kind: RuleKind;
  readonly key: string;
  readonly at: string;
  readonly rule: unknown;
}

/** What `natsmesh apply` changes in the bucket, by key. */
export interface ApplyPlan {
  /** Rules the bucket does not hold yet. */
  readonly created: readonly PlannedRule[];
  /** Rules the bucket holds with another value. */
  readonly changed: readonly PlannedRule[];
  /** Keys whose rule in the bucket equals the file's: not written again. */
  readonly unchanged: readonly string[];
  /** With prune: the rules in the bucket that the file does not hold (`at` is their place in the bucket's rules). */
  readonly deleted: readonly PlannedRule[];
  /** Faults of the file whose end has passed and that the bucket does not hold as they are: not written (they would no longer apply). */
  readonly expired: readonly PlannedRule[];
}

const LISTS = { route: 'routes', mirror: 'mirrors', fault: 'faults', canary: 'canaries' } as const;

/**
 * Compares the rules of a file with those in the bucket: only what differs is written, so
 * applying what `natsmesh get` printed changes nothing (apps see no change at all).
 */
export function planApply(current: MeshRules, desired: MeshRules, prune: boolean, now: number): ApplyPlan {
  const inForce = keyedRules(current);
  const stored = new Map(inForce.map((r) => [r.key, r.rule]));
  const wanted = keyedRules(desired);
  const ended = (r: PlannedRule) => r.kind === 'fault' && (r.rule as FaultRule).expiresAt <= now;
  const created = wanted.filter((r) => !stored.has(r.key));
  const changed = wanted.filter((r) => stored.has(r.key) && !isDeepStrictEqual(stored.get(r.key), r.rule));
  const keep = new Set(wanted.map((r) => r.key));
  return {
    created: created.filter((r) => !ended(r)),
    changed: changed.filter((r) => !ended(r)),
    unchanged: wanted.filter((r) => stored.has(r.key) && isDeepStrictEqual(stored.get(r.key), r.rule)).map((r) => r.key),
    // A fault the file ends (its end has passed) that the bucket holds otherwise is ended now: deleted.
    deleted: [...(prune ? inForce.filter((r) => !keep.has(r.key)) : []), ...inForce.filter((r) => changed.some((c) => c.key === r.key && ended(c)))],
    expired: [...created, ...changed].filter(ended),
  };
}

/** The id a rule is deleted by through the admin: `admin.mirrors.delete(service, endpoint)`. */
export function idOf(planned: PlannedRule): string[] {
  const rule = planned.rule as { service: string; endpoint?: string; name?: string };
  if (planned.kind === 'fault') return [rule.name!];
  return planned.kind === 'mirror' && rule.endpoint !== undefined ? [rule.service, rule.endpoint] : [rule.service];
}

/** The rules to write, as a rule set for `admin.apply`. */
export function rulesToWrite(plan: ApplyPlan): MeshRules {
  const lists: Record<string, unknown[]> = { routes: [], mirrors: [], faults: [], canaries: [] };
  for (const r of [...plan.created, ...plan.changed]) lists[LISTS[r.kind]].push(r.rule);
  return lists as unknown as MeshRules;
}

/** Every rule of a rule set with its kind, key and place (`routes.0`), in the order of the lists. */
export function keyedRules(rules: MeshRules): PlannedRule[] {
  return RULE_KINDS.flatMap((kind) => (rules[LISTS[kind]] as readonly unknown[]).map((rule, i) => ({ kind, key: ruleKey(kind as 'route', rule as never), at: `${LISTS[kind]}.${i}`, rule })));
}
