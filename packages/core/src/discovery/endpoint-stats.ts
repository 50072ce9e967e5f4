import type { MeshError } from '../errors/mesh-error';
import { durationBucket, emptyDurationCounts } from '../metrics/duration-histogram';

/**
 * What one endpoint has done since start, in the units of the NATS Service API: counts, the
 * last error as `"<status>:<message>"`, and processing time in nanoseconds measured from
 * receipt to reply, asynchronous work included.
 */
export class EndpointStats {
  numRequests = 0;
  numErrors = 0;
  lastError = '';
  /** Total processing time in milliseconds (fractional); reported in ns. */
  processingMs = 0;
  /** Requests dropped unanswered because their deadline had passed before the handler ran. */
  expired = 0;
  /** Requests answered `RATE_LIMITED` by the endpoint's rate limit. */
  rateLimited = 0;
  /** Requests answered `UNAVAILABLE` because the bulkhead and its queue were full. */
  rejected = 0;
  /**
   * Handled requests by duration: `durationCounts[i]` counts those that took more than
   * `DURATION_BUCKETS[i-1]` and at most `DURATION_BUCKETS[i]` seconds, the last entry those
   * above 10 s. Served in `$SRV.STATS` so that a canary controller can compare p99 per version.
   */
  readonly durationCounts: number[] = emptyDurationCounts();

  /** Records one handled request that started at `startedMs` (performance.now()); returns its duration, ms. */
  record(startedMs: number, error: MeshError | undefined): number {
    const ms = performance.now() - startedMs;
    this.numRequests++;
    this.processingMs += ms;
    this.durationCounts[durationBucket(ms)]++;
    if (error !== undefined) {
      this.numErrors++;
      this.lastError = `${error.status}:${error.message}`;
    }
    return ms;
  }

  /** Records one request dropped unanswered, its deadline passed, that arrived at `startedMs` (performance.now()). */
  recordExpired(_startedMs: number): void {
    this.expired++;
  }

}
