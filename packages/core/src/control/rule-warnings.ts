import type { NatsConnection } from 'nats';
import { gather } from '../discovery/gather';
import { DISCOVER_SUBJECT } from '../discovery/discovery-subjects';
import type { InstanceInfo } from '../discovery/instance-info';
import type { RuleOfKind } from './check-rule';
import type { CanaryRule, FaultRule, MirrorRule, RouteRule } from './rules-model';
import type { RuleKind } from './rule-schemas';

/** Service name → the versions its running instances announce. */
export type KnownVersions = ReadonlyMap<string, ReadonlySet<string>>;

/** Asks discovery (`$NATSMESH.DISCOVER`) which services run, in which versions. Empty when no instance answers. */
export async function knownVersions(nc: NatsConnection): Promise<KnownVersions> {
  const known = new Map<string, Set<string>>();
  for (const instance of await gather<InstanceInfo>(nc, DISCOVER_SUBJECT)) {
    for (const s of instance.services ?? []) {
      let versions = known.get(s.name);
      if (versions === undefined) known.set(s.name, (versions = new Set()));
      versions.add(s.version);
    }
  }
  return known;
}

/**
 * What in a valid rule names a service or version no running instance announces: a warning, not
 * an error (the rule may be written before the new version is deployed).
 */
export function ruleWarnings<K extends RuleKind>(kind: K, rule: RuleOfKind[K], known: KnownVersions): string[] {
  const versions = known.get(rule.service);
  if (versions === undefined) return [`${kind} rule for "${rule.service}": no running instance of service "${rule.service}" was found`];
  const named = new Set<string>();
  if (kind === 'route') {
    const r = rule as RouteRule;
    for (const v of Object.keys(r.weights ?? {})) named.add(v);
    for (const m of r.match ?? []) named.add(m.version);
  } else if (kind === 'mirror') named.add((rule as MirrorRule).version);
  else if (kind === 'fault' && (rule as FaultRule).version !== undefined) named.add((rule as FaultRule).version!);
  else if (kind === 'canary') {
    named.add((rule as CanaryRule).from);
    named.add((rule as CanaryRule).to);
  }
  return [...named]
    .filter((v) => !versions.has(v))
    .map((v) => `${kind} rule for "${rule.service}": no running instance of "${rule.service}" has version ${v} (running: ${[...versions].sort().join(', ')})`);
}
