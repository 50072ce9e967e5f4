import { gather, MIRRORS_SUBJECT, type MirrorReport, type MirrorStats } from '@natsmesh/core';
import { EXIT } from '../cli-error';
import type { CommandContext } from '../command';
import { printResult } from '../output/cli-output';
import { renderTable } from '../output/table';

/** The copies of one subject mirrored to one version, summed over every client that reported them. */
export interface MirrorTotals extends MirrorStats {
  /** How many clients reported copies of this subject to this version. */
  readonly clients: number;
}

/**
 * Sums the clients' reports per subject and version: copies sent and outcomes added up, the mean
 * weighted by each client's copies sent, the highest max. Sorted by subject, then version.
 */
export function mirrorTotals(reports: readonly MirrorReport[]): MirrorTotals[] {
  const totals = new Map<string, { subject: string; version: string; outcomes: Record<string, number>; sent: number; totalMs: number; maxMs: number; clients: number }>();
  for (const report of reports) {
    for (const m of Array.isArray(report?.mirrors) ? report.mirrors : []) {
      const key = `${m.subject} ${m.version}`;
      let t = totals.get(key);
      if (t === undefined) totals.set(key, (t = { subject: m.subject, version: m.version, outcomes: {}, sent: 0, totalMs: 0, maxMs: 0, clients: 0 }));
      t.clients++;
      t.sent += m.sent;
      t.totalMs += m.meanMs * m.sent;
      t.maxMs = Math.max(t.maxMs, m.maxMs);
      for (const [outcome, n] of Object.entries(m.outcomes) as [string, number][]) t.outcomes[outcome] = (t.outcomes[outcome] ?? 0) + n;
    }
  }
  return [...totals.values()]
    .sort((a, b) => a.subject.localeCompare(b.subject) || a.version.localeCompare(b.version))
    .map(({ totalMs, outcomes, ...t }) => ({ ...t, outcomes: sortedKeys(outcomes), meanMs: t.sent === 0 ? 0 : totalMs / t.sent }));
}

/**
 * `natsmesh mirror status`: asks every natsmesh client that has had a mirror rule in force for its
 * mirror figures (`$NATSMESH.MIRRORS`) and prints them per subject and version; `--json` prints the
 * totals and each client's report.
 */
export async function showMirrorStatus(ctx: CommandContext): Promise<number> {
  const client = await ctx.connect({ control: false });
  const reports = await gather<MirrorReport>(client.connection, MIRRORS_SUBJECT, { maxWait: 2000, quiet: 200 });
  const mirrors = mirrorTotals(reports);
  printResult(ctx.io, ctx.json, { mirrors, clients: reports }, () =>
    mirrors.length === 0
      ? `No mirrored copies reported (${reports.length} client(s) answered): a natsmesh client reports once a mirror rule covered its calls.`
      : renderTable(
          ['subject', 'version', 'clients', 'sent', 'outcomes', 'mean', 'max'],
          mirrors.map((m) => [m.subject, m.version, String(m.clients), String(m.sent), outcomesText(m.outcomes), msText(m.meanMs), msText(m.maxMs)]),
        ),
  );
  return EXIT.OK;
}

function sortedKeys(outcomes: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(outcomes).sort(([a], [b]) => a.localeCompare(b)));
}

function outcomesText(outcomes: Readonly<Record<string, number>>): string {
  return Object.entries(outcomes)
    .map(([outcome, n]) => `${outcome}=${n}`)
    .join(' ');
}

function msText(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}
