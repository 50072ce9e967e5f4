import type { CanaryRule, FaultRule, MirrorRule, RequestMatch, RouteRule } from '@natsmesh/core';
import { formatDuration } from './duration';

/** `1.0.0=90 2.0.0=10`. */
export function weightsText(weights: RouteRule['weights']): string {
  return weights === undefined ? '-' : Object.entries(weights).map(([v, w]) => `${v}=${w}`).join(' ');
}

/** `x-canary=1 caller=hotel.rooms`: what a request must carry. */
export function matchText(match: RequestMatch | undefined): string {
  const parts = [...Object.entries(match?.headers ?? {}).map(([k, v]) => `${k}=${v}`), ...(match?.caller === undefined ? [] : [`caller=${match.caller}`])];
  return parts.length === 0 ? '-' : parts.join(' ');
}

/** `x-canary=1 → 2.0.0, caller=hotel.rooms → 2.0.0`: a route's match rules, first match first. */
export function routeMatchText(rule: RouteRule): string {
  return rule.match === undefined || rule.match.length === 0 ? '-' : rule.match.map((m) => `${matchText(m)} → ${m.version}`).join(', ');
}

/** A one-line summary of any rule, for what `set` prints. */
export function ruleText(kind: 'route' | 'mirror' | 'fault' | 'canary', rule: RouteRule | MirrorRule | FaultRule | CanaryRule, now = Date.now()): string {
  if (kind === 'route') {
    const r = rule as RouteRule;
    return [r.match === undefined ? '' : `match ${routeMatchText(r)}`, r.weights === undefined ? '' : `weights ${weightsText(r.weights)}`].filter(Boolean).join('; ');
  }
  if (kind === 'mirror') {
    const m = rule as MirrorRule;
    return `${m.percent}% of ${m.endpoint === undefined ? 'every endpoint' : m.endpoint} copied to ${m.version}${m.compare === true ? ', replies compared' : ''}`;
  }
  if (kind === 'fault') {
    const f = rule as FaultRule;
    return [delayText(f), abortText(f), `on the ${f.where ?? 'server'}`, expiresText(f.expiresAt, now)].filter((p) => p !== '-').join(', ');
  }
  const c = rule as CanaryRule;
  return `${c.from} → ${c.to} in steps ${c.steps.join(', ')}% every ${formatDuration(c.intervalMs)}`;
}

/** `200ms@50%`, or `-`. */
export function delayText(f: FaultRule): string {
  return f.delay === undefined ? '-' : `${f.delay.ms}ms@${f.delay.percent}%`;
}

/** `UNAVAILABLE@30%`, or `-`. */
export function abortText(f: FaultRule): string {
  return f.abort === undefined ? '-' : `${f.abort.code}@${f.abort.percent}%`;
}

/** `ends in 9m59s`, or `expired` (the fault no longer applies). */
export function expiresText(expiresAt: number, now = Date.now()): string {
  return expiresAt <= now ? 'expired' : `ends in ${formatDuration(Math.ceil((expiresAt - now) / 1000) * 1000)}`;
}
