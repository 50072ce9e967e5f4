import type { CanaryRule, FaultRule, MirrorRule, RouteRule, RuleKind, RuleOfKind } from '@natsmesh/core';
import { renderTable } from '../output/table';
import { formatDuration } from './duration';
import { abortText, delayText, expiresText, matchText, routeMatchText, weightsText } from './rule-text';

type Columns<R> = { readonly header: readonly string[]; row(rule: R, now: number): string[] };

const COLUMNS: { readonly [K in RuleKind]: Columns<RuleOfKind[K]> } = {
  route: { header: ['service', 'match', 'weights'], row: (r: RouteRule) => [r.service, routeMatchText(r), weightsText(r.weights)] },
  mirror: {
    header: ['service', 'endpoint', 'to', 'percent', 'compare'],
    row: (m: MirrorRule) => [m.service, m.endpoint ?? '*', m.version, `${m.percent}%`, m.compare === true ? 'yes' : 'no'],
  },
  fault: {
    header: ['name', 'service', 'endpoint', 'version', 'match', 'delay', 'abort', 'where', 'expires'],
    row: (f: FaultRule, now) => [f.name, f.service, f.endpoint ?? '*', f.version ?? '*', matchText(f.match), delayText(f), abortText(f), f.where ?? 'server', expiresText(f.expiresAt, now)],
  },
  canary: {
    header: ['service', 'from', 'to', 'steps', 'interval', 'criteria'],
    row: (c: CanaryRule) => [c.service, c.from, c.to, c.steps.join(','), formatDuration(c.intervalMs), Object.entries(c.criteria).map(([k, v]) => `${k}=${v}`).join(' ') || '-'],
  },
};

/** The rules of one kind as a text table, one row each. */
export function ruleTable<K extends RuleKind>(kind: K, rules: readonly RuleOfKind[K][], now = Date.now()): string {
  const columns = COLUMNS[kind] as Columns<RuleOfKind[K]>;
  return renderTable(columns.header, rules.map((r) => columns.row(r, now)));
}
