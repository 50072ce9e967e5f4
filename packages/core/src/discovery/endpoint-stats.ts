import type { MeshError } from '../errors/mesh-error';

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

  /** Records one handled request that started at `startedMs` (performance.now()). */
  record(startedMs: number, error: MeshError | undefined): void {
    this.numRequests++;
    this.processingMs += performance.now() - startedMs;
    if (error !== undefined) {
      this.numErrors++;
      this.lastError = `${error.status}:${error.message}`;
    }
  }

  /** Records one request dropped unanswered, its deadline passed, that arrived at `startedMs` (performance.now()). */
  recordExpired(_startedMs: number): void {
    this.expired++;
  }

}
