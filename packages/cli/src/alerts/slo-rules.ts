import { DURATION_BUCKETS, SLO_GOOD_CODES, windowDays, type ServiceDescription, type SloOptions } from '@natsmesh/core';
import { normalizeDescriptions } from '@natsmesh/docs';
import { burnPlan, leftOutReason, type PlannedCondition } from './burn-plan';
import { forPeople, RATIO_WINDOWS, round, type BurnCondition } from './burn-rates';

/** A Prometheus recording rule. */
export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

/** A Prometheus alerting rule. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A Prometheus rules file (`rule_files` in prometheus.yml), as data. */
export interface PrometheusRules {
  groups: { name: string; rules: (RecordingRule | AlertingRule)[] }[];
}

/** What {@link sloRules} made. */
export interface SloRules {
  readonly rules: PrometheusRules;
  /** How many endpoints declare an SLO (each gets one group's worth of rules). */
  readonly endpoints: number;
  /** Things worth knowing that do not stop the rules, e.g. an alert that can never fire. */
  readonly warnings: readonly string[];
}

/** Options of {@link sloRules}. */
export interface SloRulesOptions {
  /** The error-budget window of SLOs that set none, e.g. `'30d'` (the default). */
  readonly window?: string;
}

/** The name of the recording rule of the error ratio over `window`. */
export const errorRatioRecord = (window: string) => `natsmesh:slo_errors_per_request:ratio_rate${window}`;
/** The name of the recording rule of the p99 latency over 5 minutes. */
export const P99_RECORD = 'natsmesh:request_duration_seconds:p99_rate5m';
/** Alert names: one for every burn-rate alert (told apart by severity, service and endpoint), one for latency. */
export const ALERT_NAMES = { burn: 'NatsmeshErrorBudgetBurn', latency: 'NatsmeshLatencyAboveSLO' } as const;
/** How long the p99 must stay above the objective before the latency alert fires. */
export const LATENCY_FOR = '10m';

const DEFAULT_WINDOW = '30d';
// The bounds a p99 may be: all but the largest, which histogram_quantile never exceeds.
const P99_BOUNDS_MS = DURATION_BUCKETS.slice(0, -1).map((b) => round(b * 1000));

/**
 * The Prometheus rules of the SLOs declared with `@Handle(name, { slo })`: per endpoint with an
 * `errorRate`, recording rules of its error ratio over 5m…3d and two multiwindow, multi-burn-rate
 * alerts (`severity: page` and `ticket`, Google SRE workbook ch. 5), less the conditions that
 * would fire within budget or never (see {@link burnPlan}; a warning each); per endpoint with a `p99`, a
 * recording rule of the p99 over 5m and an alert when it stays above the objective. One group per
 * service; services, endpoints and rules in a fixed order, so the same SLOs give the same file.
 */
export function sloRules(descriptions: readonly ServiceDescription[], options: SloRulesOptions = {}): SloRules {
  const warnings: string[] = [];
  const byService = new Map<string, Map<string, { slo: SloOptions; version: string }>>();
  for (const d of normalizeDescriptions(descriptions)) {
    for (const e of d.endpoints) {
      if (e.slo === undefined) continue;
      const endpoints = byService.get(d.name) ?? byService.set(d.name, new Map()).get(d.name)!;
      const seen = endpoints.get(e.name);
      if (seen && JSON.stringify(seen.slo) !== JSON.stringify(e.slo)) {
        warnings.push(`${d.name} ${e.name} declares different SLOs in versions ${seen.version} and ${d.version} (the metrics do not tell versions apart): used ${d.version}'s.`);
      }
      endpoints.set(e.name, { slo: e.slo, version: d.version });
    }
  }
  const groups: PrometheusRules['groups'] = [];
  let count = 0;
  for (const service of [...byService.keys()].sort(compare)) {
    const endpoints = byService.get(service)!;
    const rules: (RecordingRule | AlertingRule)[] = [];
    const alerts: AlertingRule[] = [];
    for (const endpoint of [...endpoints.keys()].sort(compare)) {
      const { slo } = endpoints.get(endpoint)!;
      const who = { service, endpoint };
      count++;
      if (slo.errorRate !== undefined) {
        const window = slo.window ?? options.window ?? DEFAULT_WINDOW;
        const days = windowDays(window)!;
        const plan = burnPlan(slo.errorRate, days);
        rules.push(...RATIO_WINDOWS.map((w) => errorRatio(who, slo, w)));
        for (const l of plan.leftOut) warnings.push(`${service} ${endpoint}: ${leftOutReason(l, slo.errorRate, window)}`);
        for (const severity of ['page', 'ticket'] as const) {
          const kept = plan.kept.filter((p) => p.condition.severity === severity);
          if (kept.length > 0) alerts.push(burnAlert(who, slo.errorRate, window, days, severity, kept));
          else warnings.push(`${service} ${endpoint} has no ${severity} alert: every ${severity} condition is left out (above).`);
        }
      }
      if (slo.p99 !== undefined) {
        rules.push(p99Record(who));
        alerts.push(latencyAlert(who, slo.p99));
        if (!DURATION_BUCKETS.includes(slo.p99 / 1000)) {
          warnings.push(`${service} ${endpoint}: p99 ${slo.p99} ms is not a bucket bound of natsmesh_request_duration_seconds, so the p99 is interpolated between buckets (bounds in ms: ${P99_BOUNDS_MS.join(', ')}).`);
        }
      }
    }
    groups.push({ name: `natsmesh-slo:${service}`, rules: [...rules, ...alerts] });
  }
  return { rules: { groups }, endpoints: count, warnings };
}

interface Who {
  readonly service: string;
  readonly endpoint: string;
}

// 1 - good/all rather than bad/all: the OK series exists from an endpoint's start (natsmesh
// exports it at 0), an error code's only once seen, so bad/all would be no data while all is
// well. `> 0` leaves a window without requests as no data rather than NaN (0/0).
function errorRatio(who: Who, slo: SloOptions, window: string): RecordingRule {
  const good = [...SLO_GOOD_CODES, ...(slo.clientCodes ?? [])].map(regexQuote).join('|');
  const all = `natsmesh_requests_total{${matchers(who)}}`;
  const ok = `natsmesh_requests_total{${matchers(who)}, code=~${JSON.stringify(good)}}`;
  return {
    record: errorRatioRecord(window),
    expr:
      `1 - (\n  sum by (service, endpoint) (rate(${ok}[${window}]))\n  /\n` +
      `  (sum by (service, endpoint) (rate(${all}[${window}])) > 0)\n)`,
    labels: { ...who },
  };
}

function burnAlert(who: Who, errorRate: number, window: string, days: number, severity: BurnCondition['severity'], conditions: readonly PlannedCondition[]): AlertingRule {
  const over = (w: string, factor: number) => `${errorRatioRecord(w)}{${matchers(who)}} > (${factor} * ${errorRate})`;
  const expr = conditions.map(({ condition: c, factor }) => `(\n  ${over(c.long, factor)}\nand\n  ${over(c.short, factor)}\n)`).join('\nor\n');
  const name = `${who.service} ${who.endpoint}`;
  const objective = `${round((1 - errorRate) * 100)}% of requests succeed over ${window}`;
  const spans = conditions.map(
    ({ condition: c, factor }) => `${forPeople(factor)}× the allowed rate over ${c.long} and ${c.short} (at that rate the ${window} budget lasts ${lasts(days, factor)})`,
  );
  return {
    alert: ALERT_NAMES.burn,
    expr,
    labels: { severity, service: who.service, endpoint: who.endpoint },
    annotations: {
      summary: `${name} is spending its error budget ${severity === 'page' ? 'fast' : 'steadily'}`,
      description:
        `{{ $value | humanizePercentage }} of the requests to ${name} failed with a server fault (SLO: ${objective}). ` +
        `Fires at ${spans.join(', or ')}. Server faults: every code but OK, natsmesh's 4xx codes and the SLO's clientCodes.`,
    },
  };
}

function p99Record(who: Who): RecordingRule {
  return {
    record: P99_RECORD,
    expr: `histogram_quantile(0.99, sum by (service, endpoint, le) (rate(natsmesh_request_duration_seconds_bucket{${matchers(who)}}[5m])))`,
    labels: { ...who },
  };
}

function latencyAlert(who: Who, p99: number): AlertingRule {
  const name = `${who.service} ${who.endpoint}`;
  return {
    alert: ALERT_NAMES.latency,
    expr: `${P99_RECORD}{${matchers(who)}} > ${round(p99 / 1000)}`,
    for: LATENCY_FOR,
    labels: { severity: 'ticket', service: who.service, endpoint: who.endpoint },
    annotations: {
      summary: `${name} answers slower than its p99 objective of ${p99} ms`,
      description: `The p99 of ${name} over 5m has been {{ $value | humanizeDuration }} for ${LATENCY_FOR} or more; the SLO is ${p99} ms.`,
    },
  };
}

function matchers(who: Who): string {
  return `service=${JSON.stringify(who.service)}, endpoint=${JSON.stringify(who.endpoint)}`;
}

// Codes are matched as RE2 alternatives; a code of the user's own may hold anything.
function regexQuote(code: string): string {
  return code.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function lasts(days: number, factor: number): string {
  const hours = (days * 24) / factor;
  return hours < 48 ? `${round(Number(hours.toPrecision(3)))} hours` : `${round(Number((hours / 24).toPrecision(3)))} days`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
