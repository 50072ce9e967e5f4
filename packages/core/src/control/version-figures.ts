import type { NatsConnection } from 'nats';
import { gather } from '../discovery/gather';
import { SRV_PREFIX, toSrvName } from '../discovery/discovery-subjects';
import { durationQuantileMs } from '../metrics/duration-histogram';

/** What one version of a service did in a window, summed over its instances and endpoints. */
export interface VersionFigures {
  readonly version: string;
  /** Instances of the version that answered `$SRV.STATS` at the end of the window. */
  readonly instances: number;
  /** Requests handled (answered) in the window. */
  readonly requests: number;
  /** Requests answered with an error (any `MeshError`, client errors included). */
  readonly errors: number;
  /** `errors / requests`, 0–1; 0 without requests. */
  readonly errorRatio: number;
  /** p99 latency in ms from the endpoints' duration histograms; absent without requests. */
  readonly p99Ms?: number;
}

/** One instance's counters, summed over its endpoints. */
interface InstanceCounts {
  readonly version: string;
  /** Epoch ms the instance started. */
  readonly started: number;
  readonly requests: number;
  readonly errors: number;
  /** Histogram bounds in seconds and per-bucket counts; absent from an instance that serves none. */
  readonly le?: readonly number[];
  readonly counts?: readonly number[];
}

/** Every instance's counters of one service at one moment. */
export interface StatsSnapshot {
  /** Epoch ms the snapshot was asked for. */
  readonly at: number;
  /** By `$SRV` id. */
  readonly instances: ReadonlyMap<string, InstanceCounts>;
}

interface StatsReply {
  readonly id?: string;
  readonly name?: string;
  readonly version?: string;
  readonly started?: string;
  readonly metadata?: Record<string, string>;
  readonly endpoints?: readonly {
    readonly num_requests?: number;
    readonly num_errors?: number;
    readonly data?: { readonly duration_seconds?: { readonly le?: number[]; readonly counts?: number[] } } | null;
  }[];
}

/**
 * Asks every instance of `service` for its `$SRV.STATS` (ADR-32, which carries the instance's
 * `version`) and keeps each one's counters summed over its endpoints; takes about 150 ms after
 * the last reply.
 */
export async function gatherStats(nc: NatsConnection, service: string): Promise<StatsSnapshot> {
  const at = Date.now();
  const srvName = toSrvName(service);
  const replies = await gather<StatsReply>(nc, `${SRV_PREFIX}.STATS.${srvName}`);
  const instances = new Map<string, InstanceCounts>();
  for (const r of replies) {
    const named = r.metadata?.['natsmesh.service'];
    if (typeof r.id !== 'string' || typeof r.version !== 'string' || (named === undefined ? r.name !== srvName : named !== service)) continue;
    instances.set(r.id, countsOf(r));
  }
  return { at, instances };
}

/**
 * The figures per version between two snapshots (by version). An instance seen in both counts
 * what it did in between; one seen only at the end counts everything when it started within the
 * window (a new instance), nothing otherwise (it was missed at the start: its window is unknown).
 */
export function figuresBetween(before: StatsSnapshot, after: StatsSnapshot): Map<string, VersionFigures> {
  const sums = new Map<string, { instances: number; requests: number; errors: number; le?: readonly number[]; counts?: number[]; histograms: boolean }>();
  for (const [id, now] of after.instances) {
    let sum = sums.get(now.version);
    if (sum === undefined) sums.set(now.version, (sum = { instances: 0, requests: 0, errors: 0, histograms: true }));
    sum.instances++;
    const then = before.instances.get(id);
    const restarted = then !== undefined && (then.requests > now.requests || then.version !== now.version);
    const base = then === undefined || restarted ? undefined : then;
    if (base === undefined && then === undefined && now.started < before.at) continue;
    sum.requests += now.requests - (base?.requests ?? 0);
    sum.errors += now.errors - (base?.errors ?? 0);
    if (now.le === undefined || now.counts === undefined || (sum.le !== undefined && !sameBounds(sum.le, now.le))) {
      sum.histograms = false;
      continue;
    }
    sum.le ??= now.le;
    sum.counts ??= new Array<number>(now.counts.length).fill(0);
    for (let i = 0; i < now.counts.length; i++) sum.counts[i]! += now.counts[i]! - (base?.counts?.[i] ?? 0);
  }
  const figures = new Map<string, VersionFigures>();
  for (const [version, s] of sums) {
    const p99Ms = s.histograms && s.le !== undefined && s.counts !== undefined ? durationQuantileMs(s.le, s.counts, 0.99) : undefined;
    figures.set(version, {
      version,
      instances: s.instances,
      requests: s.requests,
      errors: s.errors,
      errorRatio: s.requests === 0 ? 0 : s.errors / s.requests,
      ...(p99Ms === undefined ? {} : { p99Ms }),
    });
  }
  return figures;
}

function countsOf(r: StatsReply): InstanceCounts {
  let requests = 0;
  let errors = 0;
  let le: readonly number[] | undefined;
  let counts: number[] | undefined;
  let histograms = true;
  for (const e of r.endpoints ?? []) {
    requests += e.num_requests ?? 0;
    errors += e.num_errors ?? 0;
    const h = e.data?.duration_seconds;
    if (!Array.isArray(h?.le) || !Array.isArray(h?.counts) || h.counts.length !== h.le.length + 1 || (le !== undefined && !sameBounds(le, h.le))) {
      histograms = false;
      continue;
    }
    le ??= h.le;
    counts ??= new Array<number>(h.counts.length).fill(0);
    for (let i = 0; i < h.counts.length; i++) counts[i]! += Number(h.counts[i]) || 0;
  }
  const started = Date.parse(r.started ?? '');
  return {
    version: r.version!,
    started: Number.isNaN(started) ? 0 : started,
    requests,
    errors,
    ...(histograms && le !== undefined && counts !== undefined ? { le, counts } : {}),
  };
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
