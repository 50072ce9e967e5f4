import type { Histogram } from 'prom-client';
import { EndpointStats } from '../discovery/endpoint-stats';
import type { MeshError } from '../errors/mesh-error';
import { CodeTallies, type CodeWarnings } from './code-label';
import type { Tallies, Tally } from './tally';

/** The `code` label of a request dropped for its deadline (no reply sent). */
export const EXPIRED_CODE = 'EXPIRED';

type HistogramChild = ReturnType<Histogram<string>['labels']>;

/**
 * The statistics of one endpoint when metrics are on: its `$SRV.STATS` counters plus
 * `natsmesh_requests_total` by code (bounded: see {@link CodeTallies}), `natsmesh_request_duration_seconds` and
 * `natsmesh_requests_in_flight`. The route reports every request at its end (answered, refused,
 * failed or dropped for its deadline), so the metrics see all of them, from receipt to answer,
 * without a layer in the pipeline: an endpoint with no other middleware keeps its direct path.
 */
export class EndpointMeter extends EndpointStats {
  /** Requests received and not yet answered. */
  inFlight = 0;
  private readonly ok: Tally;
  private readonly codes: CodeTallies;

  constructor(
    readonly labels: { readonly service: string; readonly endpoint: string },
    private readonly duration: HistogramChild,
    requests: Tallies,
    warnings: CodeWarnings,
  ) {
    super();
    this.ok = requests.tally({ ...labels, code: 'OK' });
    this.codes = new CodeTallies((code) => requests.tally({ ...labels, code }), warnings, `endpoint "${labels.endpoint}" of service ${labels.service}`);
  }

  /** A request reached the endpoint. */
  arrived(): void {
    this.inFlight++;
  }

  override record(startedMs: number, error: MeshError | undefined): number {
    // One clock read for both: the $SRV.STATS counters measured the duration already.
    const ms = super.record(startedMs, error);
    this.done(ms, error === undefined ? this.ok : this.codes.of(error.code));
    return ms;
  }

  override recordExpired(startedMs: number): void {
    super.recordExpired(startedMs);
    this.done(performance.now() - startedMs, this.codes.of(EXPIRED_CODE));
  }

  private done(ms: number, tally: Tally): void {
    this.inFlight--;
    this.duration.observe(ms / 1000);
    tally.inc();
  }
}
