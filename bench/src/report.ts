import type { Contender } from './contenders';
import type { RoundResult } from './harness/measure';
import { median } from './harness/latency';

/** The figures of one contender: medians over the rounds. */
export interface Figures {
  seqRps: number;
  seqP50us: number;
  seqP99us: number;
  inFlightRps: number;
  inFlightP50us: number;
  inFlightP99us: number;
  eventsPerSec: number;
  serviceRssMb: number;
  serviceIdleRssMb: number;
  /** CPU per request and per process at 64 in flight. */
  callerUsPerRequest: number;
  serviceUsPerRequest: number;
  callerCorePct: number;
  serviceCorePct: number;
  serverCorePct: number;
  machineIdlePct: number;
}

export type FigureName = keyof Figures;

/** One contender's result in the JSON report. */
export interface ContenderReport {
  readonly id: string;
  readonly label: string;
  readonly median: Figures;
  /** Each figure divided by raw `nc.request`'s (events: by raw publish/subscribe). */
  readonly ratio: Figures;
  /** Sequential p50 minus raw's, in µs. */
  readonly seqP50DeltaUs: number;
  readonly rounds: RoundResult[];
  readonly failures: string[];
}

/** Boot of many services: medians over fresh processes. */
export interface BootReport {
  readonly services: number;
  readonly endpointsPerService: number;
  readonly runs: { decorateMs: number; createAppMs: number; startMs: number; totalMs: number }[];
  readonly medianTotalMs: number;
  readonly medianCreateAppMs: number;
  readonly medianStartMs: number;
  readonly failures: string[];
}

/** One target of issue 3 and whether this run met it. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
}

const FIGURES: readonly FigureName[] = ['seqRps', 'seqP50us', 'seqP99us', 'inFlightRps', 'inFlightP50us', 'inFlightP99us', 'eventsPerSec', 'serviceRssMb', 'serviceIdleRssMb',
  'callerUsPerRequest', 'serviceUsPerRequest', 'callerCorePct', 'serviceCorePct', 'serverCorePct', 'machineIdlePct',
];

function figureOf(r: RoundResult, f: FigureName): number | undefined {
  switch (f) {
    case 'seqRps': return r.sequential?.rps;
    case 'seqP50us': return r.sequential?.p50us;
    case 'seqP99us': return r.sequential?.p99us;
    case 'inFlightRps': return r.inFlight?.rps;
    case 'inFlightP50us': return r.inFlight?.p50us;
    case 'inFlightP99us': return r.inFlight?.p99us;
    case 'eventsPerSec': return r.eventsPerSec;
    case 'serviceRssMb': return r.serviceRssMb;
    case 'serviceIdleRssMb': return r.serviceIdleRssMb;
    case 'callerUsPerRequest': return r.inFlightCpu?.callerUsPerRequest;
    case 'serviceUsPerRequest': return r.inFlightCpu?.serviceUsPerRequest;
    case 'callerCorePct': return r.inFlightCpu?.callerCorePct;
    case 'serviceCorePct': return r.inFlightCpu?.serviceCorePct;
    case 'serverCorePct': return r.inFlightCpu?.serverCorePct;
    case 'machineIdlePct': return r.inFlightCpu?.machineIdlePct;
  }
}

// Rounds disturbed by other work on the machine count only when no other round is left.
function usable(all: readonly RoundResult[]): readonly RoundResult[] {
  const quiet = all.filter((r) => !r.disturbed);
  return quiet.length > 0 ? quiet : all;
}

function defined(xs: (number | undefined)[]): number[] {
  return xs.filter((v): v is number => v !== undefined && Number.isFinite(v));
}

/** Medians over rounds, each figure from the rounds that produced it. */
export function medianFigures(all: readonly RoundResult[]): Figures {
  const rounds = usable(all);
  const out = {} as Figures;
  for (const f of FIGURES) out[f] = median(defined(rounds.map((r) => figureOf(r, f))));
  return out;
}

/** Every contender's report, each figure also as a ratio of its median to raw `nc.request`'s. */
export function buildReports(contenders: readonly Contender[], rounds: Map<string, RoundResult[]>): ContenderReport[] {
  const base = medianFigures(rounds.get('raw') ?? []);
  return contenders.map((c) => {
    const all = rounds.get(c.id) ?? [];
    const m = medianFigures(all);
    const ratio = {} as Figures;
    for (const f of FIGURES) ratio[f] = m[f] / base[f];
    return {
      id: c.id,
      label: c.label,
      median: m,
      ratio,
      seqP50DeltaUs: m.seqP50us - base.seqP50us,
      rounds: all,
      failures: all.flatMap((r, i) => r.failures.map((f) => `round ${i + 1}: ${f}`)),
    };
  });
}

function rate(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : `${Math.round(v)}`;
}

function micros(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v < 10 ? `${v.toFixed(1)} µs` : `${Math.round(v)} µs`;
}

function mb(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v)} MB` : '–';
}

function cell(abs: string, ratio: number): string {
  return Number.isFinite(ratio) ? `${abs} (${ratio.toFixed(2)}×)` : abs;
}

/** A Markdown table: absolute value and, in brackets, the ratio to raw `nc.request`. */
export function formatTable(reports: readonly ContenderReport[]): string {
  const head = ['', 'seq req/s', 'seq p50', 'seq p99', '64-in-flight req/s', '64 p50', '64 p99', 'events/s', 'service peak RSS', 'idle RSS'];
  const rows = reports.map((r) => {
    const m = r.median;
    const q = r.ratio;
    return [
      r.label + (r.failures.length ? ' ⚠' : ''),
      cell(rate(m.seqRps), q.seqRps),
      cell(micros(m.seqP50us), q.seqP50us),
      cell(micros(m.seqP99us), q.seqP99us),
      cell(rate(m.inFlightRps), q.inFlightRps),
      cell(micros(m.inFlightP50us), q.inFlightP50us),
      cell(micros(m.inFlightP99us), q.inFlightP99us),
      cell(rate(m.eventsPerSec), q.eventsPerSec),
      cell(mb(m.serviceRssMb), q.serviceRssMb),
      mb(m.serviceIdleRssMb),
    ];
  });
  return markdown(head, rows);
}

/** The targets of issues 3, 11 and 12, checked against this run's ratios. */
export function checkTargets(reports: readonly ContenderReport[], boot: BootReport | undefined): TargetCheck[] {
  const by = (id: string) => reports.find((r) => r.id === id);
  const raw = by('raw');
  const nm = by('natsmesh');
  const dto = by('natsmesh-dto');
  const check = (target: string, value: number | undefined, met: (v: number) => boolean, show: (v: number) => string): TargetCheck =>
    value !== undefined && Number.isFinite(value) ? { target, measured: show(value), met: met(value) } : { target, measured: 'not measured', met: null };
  const times = (v: number) => `${v.toFixed(2)}×`;
  const versus = (a: ContenderReport | undefined, id: string) => (a ? a.median.inFlightRps / (by(id)?.median.inFlightRps ?? NaN) : undefined);
  return [
    check('64 in flight: natsmesh ≥ 2.8× raw nc.request', nm?.ratio.inFlightRps, (v) => v >= 2.8, times),
    check('64 in flight: natsmesh ≥ 0.8× the bare muxed ceiling', versus(nm, 'mux'), (v) => v >= 0.8, times),
    check('64 in flight: natsmesh ≥ 1.25× Moleculer', versus(nm, 'moleculer'), (v) => v >= 1.25, times),
    check('64 in flight: natsmesh with DTO validation ≥ 2.2× raw', dto?.ratio.inFlightRps, (v) => v >= 2.2, times),
    check('64 in flight: natsmesh with 3 + 3 no-op middleware ≥ 0.9× natsmesh', versus(by('natsmesh-mw'), 'natsmesh'), (v) => v >= 0.9, times),
    check('64 in flight: natsmesh with metrics on ≥ 0.85× natsmesh (issue 12)', versus(by('natsmesh-metrics'), 'natsmesh'), (v) => v >= 0.85, times),
    check('sequential p50: natsmesh within 30 µs of raw', nm?.seqP50DeltaUs, (v) => v <= 30, (v) => `${v >= 0 ? '+' : ''}${v.toFixed(0)} µs`),
    check('events end to end: natsmesh ≥ 0.8× raw publish/subscribe', nm?.ratio.eventsPerSec, (v) => v >= 0.8, times),
    check(
      'service RSS: natsmesh ≤ raw + 15 MB',
      nm && raw ? nm.median.serviceRssMb - raw.median.serviceRssMb : undefined,
      (v) => v <= 15,
      (v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} MB`,
    ),
    check(`boot of ${boot?.services ?? 200} × ${boot?.endpointsPerService ?? 5} < 1 s`, boot?.medianTotalMs, (v) => v < 1000, (v) => `${v.toFixed(0)} ms`),
  ];
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v)} %` : '–';
}

function markdown(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}

/** Where the CPU went at 64 in flight: per request (with the ratio to raw) and per process. */
export function formatCpuTable(reports: readonly ContenderReport[]): string {
  const head = ['', 'caller CPU/request', 'service CPU/request', 'caller', 'service', 'nats-server', 'machine idle'];
  const rows = reports.map((r) => {
    const m = r.median;
    return [
      r.label,
      cell(micros(m.callerUsPerRequest), r.ratio.callerUsPerRequest),
      cell(micros(m.serviceUsPerRequest), r.ratio.serviceUsPerRequest),
      pct(m.callerCorePct),
      pct(m.serviceCorePct),
      pct(m.serverCorePct),
      pct(m.machineIdlePct),
    ];
  });
  return markdown(head, rows);
}

/** The target checks as a Markdown table. */
export function formatTargets(checks: readonly TargetCheck[]): string {
  const rows = checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met === null ? '?' : c.met ? 'met' : 'missed'} |`);
  return ['| target | measured | |', '| --- | --: | --- |', ...rows].join('\n');
}
