import { hostname } from 'node:os';

/**
 * Scatter-gather subject of mirror outcomes: every natsmesh client that has had a mirror rule in
 * force answers with its {@link MirrorReport} (`gather(nc, MIRRORS_SUBJECT)`), for
 * `natsmesh mirror status` and the dashboard.
 */
export const MIRRORS_SUBJECT = '$NATSMESH.MIRRORS';

/** Most subject and version pairs one client keeps figures for; copies for further pairs are counted in metrics only. */
export const MIRROR_SUMMARY_LIMIT = 200;

/** What one client saw of the copies it mirrored to one version of one subject, since it started. */
export interface MirrorStats {
  readonly subject: string;
  readonly version: string;
  /** Copies by outcome: `OK`, `EQUAL` / `DIFFERENT` (compare on, both answered), `NO_INSTANCE` (not sent), or the error code. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Copies sent (every outcome but `NO_INSTANCE`). */
  readonly sent: number;
  /** Mean and highest time from sending a copy to its reply or failure, ms. */
  readonly meanMs: number;
  readonly maxMs: number;
}

/** One client's answer on {@link MIRRORS_SUBJECT}. */
export interface MirrorReport {
  /** The client's caller name (`createClient({ name })`, an app's service), when it has one. */
  readonly client?: string;
  readonly host: string;
  readonly pid: number;
  readonly mirrors: readonly MirrorStats[];
}

interface Entry {
  readonly subject: string;
  readonly version: string;
  readonly outcomes: Record<string, number>;
  sent: number;
  totalMs: number;
  maxMs: number;
}

/** The in-process figures of a client's mirrored copies, bounded, read by {@link MIRRORS_SUBJECT}. */
export class MirrorSummary {
  private readonly entries = new Map<string, Entry>();

  /** Records one copy's outcome; `ms` undefined when it was not sent. */
  record(subject: string, version: string, outcome: string, ms: number | undefined): void {
    const key = `${subject} ${version}`;
    let e = this.entries.get(key);
    if (e === undefined) {
      if (this.entries.size >= MIRROR_SUMMARY_LIMIT) return;
      this.entries.set(key, (e = { subject, version, outcomes: Object.create(null) as Record<string, number>, sent: 0, totalMs: 0, maxMs: 0 }));
    }
    e.outcomes[outcome] = (e.outcomes[outcome] ?? 0) + 1;
    if (ms === undefined) return;
    e.sent++;
    e.totalMs += ms;
    if (ms > e.maxMs) e.maxMs = ms;
  }

  report(client: string | undefined): MirrorReport {
    const mirrors = [...this.entries.values()].map((e) => ({
      subject: e.subject,
      version: e.version,
      outcomes: { ...e.outcomes },
      sent: e.sent,
      meanMs: e.sent === 0 ? 0 : e.totalMs / e.sent,
      maxMs: e.maxMs,
    }));
    return { ...(client === undefined ? {} : { client }), host: hostname(), pid: process.pid, mirrors };
  }
}
