import type { Counter, Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS } from './duration-buckets';
import { loadPromClient } from './load-prom-client';

/**
 * Most distinct `outcome` values counted per subject and version of `natsmesh_client_mirror_requests_total`;
 * further ones (a mirror answering with ever new error codes) count as `OTHER`.
 */
export const MIRROR_OUTCOME_LIMIT = 20;

/**
 * The routing and mirroring series of a registry's client metrics, registered on first use (a
 * process without route or mirror rules shows none):
 * - `natsmesh_client_mirror_requests_total{subject,version,outcome}`: mirrored copies by outcome, see {@link MirrorOutcome};
 * - `natsmesh_client_mirror_duration_seconds{subject,version}`: from a copy being sent to its reply or failure;
 * - `natsmesh_client_route_fallbacks_total{subject,version}`: attempts a route rule sent to a version with no known
 *   instance, balanced as without the rule.
 */
export class RoutingMetrics {
  private readonly mirrors: Counter<'subject' | 'version' | 'outcome'>;
  private readonly mirrorDuration: Histogram<'subject' | 'version'>;
  private readonly fallbacks: Counter<'subject' | 'version'>;
  private readonly outcomes = new Map<string, Set<string>>();

  constructor(registry: Registry) {
    const prom = loadPromClient();
    const registers = [registry];
    this.mirrors = new prom.Counter({
      name: 'natsmesh_client_mirror_requests_total',
      help: 'Copies of requests sent to a mirror version (mirror rules), by subject called, mirror version and outcome: OK, EQUAL or DIFFERENT (compare on), NO_INSTANCE (none of that version known: not sent), or the error code.',
      labelNames: ['subject', 'version', 'outcome'],
      registers,
    });
    this.mirrorDuration = new prom.Histogram({
      name: 'natsmesh_client_mirror_duration_seconds',
      help: 'Time from a mirrored copy being sent to its reply or failure, seconds (the caller never waits for it).',
      labelNames: ['subject', 'version'],
      buckets: [...DURATION_BUCKETS],
      registers,
    });
    this.fallbacks = new prom.Counter({
      name: 'natsmesh_client_route_fallbacks_total',
      help: 'Attempts a route rule sent to a version of which no instance was known: they went where the call would have gone without the rule.',
      labelNames: ['subject', 'version'],
      registers,
    });
  }

  /** Counts one mirrored copy; `seconds` undefined when nothing was sent. */
  mirrored(subject: string, version: string, outcome: string, seconds: number | undefined): void {
    const key = `${subject} ${version}`;
    let seen = this.outcomes.get(key);
    if (seen === undefined) this.outcomes.set(key, (seen = new Set()));
    if (!seen.has(outcome)) {
      if (seen.size >= MIRROR_OUTCOME_LIMIT) outcome = 'OTHER';
      else seen.add(outcome);
    }
    this.mirrors.labels(subject, version, outcome).inc();
    if (seconds !== undefined) this.mirrorDuration.labels(subject, version).observe(seconds);
  }

  unrouted(subject: string, version: string): void {
    this.fallbacks.labels(subject, version).inc();
  }
}
