import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the profile's busy (non-idle) time. */
export interface SelfTimeRow {
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly pct: number;
}

/** What a `--cpu-prof` profile spent its time on. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly busyMs: number;
  readonly top: SelfTimeRow[];
  /** Busy time per area (nats.js, natsmesh, Node internals, GC, …) in percent. */
  readonly areas: Record<string, number>;
}

function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'V8/native (program)';
  if (url.includes('/packages/core/')) return 'natsmesh core';
  if (url.includes('node_modules/nats/')) return 'nats.js';
  if (url.includes('node_modules/class-validator/') || url.includes('node_modules/validator/')) return 'class-validator';
  if (url.includes('node_modules/class-transformer/')) return 'class-transformer';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:')) return 'Node internals';
  if (url === '') return 'V8 builtins (JSON, …)';
  return 'other';
}

function shortWhere(url: string, line: number): string {
  if (url === '') return '';
  const m = /(node_modules\/.*|packages\/.*|bench\/.*|node:.*)$/.exec(url);
  return `${m ? m[1] : url}:${line + 1}`;
}

/** Self time per function of a `.cpuprofile`, idle time left out of the percentages. */
export function summariseCpuProfile(file: string, topN = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    totalUs += dt;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const rows = new Map<string, { fn: string; where: string; us: number; area: string }>();
  let idleUs = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const fn = functionName || '(anonymous)';
    const key = `${fn}@${url}:${lineNumber}`;
    const row = rows.get(key) ?? { fn, where: shortWhere(url, lineNumber), us: 0, area: areaOf(url, fn) };
    row.us += us;
    rows.set(key, row);
  }
  const busyUs = totalUs - idleUs;
  const areas: Record<string, number> = {};
  for (const r of rows.values()) areas[r.area] = (areas[r.area] ?? 0) + (100 * r.us) / busyUs;
  const top = [...rows.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map((r) => ({ fn: r.fn, where: r.where, selfMs: r.us / 1000, pct: (100 * r.us) / busyUs }));
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, top, areas };
}

/** The summary as text lines. */
export function formatProfileSummary(title: string, s: ProfileSummary): string {
  const lines = [`${title}: ${s.busyMs.toFixed(0)} ms busy of ${s.totalMs.toFixed(0)} ms`];
  lines.push('  by area: ' + Object.entries(s.areas).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}%`).join(', '));
  lines.push('  top self time:');
  for (const r of s.top) lines.push(`  ${r.pct.toFixed(1).padStart(5)}%  ${r.fn}  ${r.where}`);
  return lines.join('\n');
}
