import type { Counter, Gauge, Histogram } from 'prom-client';
import { MeshError } from '../errors/mesh-error';
import type { HandleContext, Middleware, Next } from '../middleware/middleware';
import { isThenable } from '../runtime/is-thenable';
import { EXPIRED, NO_REPLY } from '../runtime/no-reply';
import type { MeshMetrics } from './mesh-metrics';

/** The `code` label of a request dropped for its deadline (no reply sent). */
export const EXPIRED_CODE = 'EXPIRED';

/**
 * Built-in `handle` middleware of every endpoint when metrics are on, outermost (before the
 * deadline drop and the rate limit, so refusals and expired drops are counted): counts each
 * request by code, times it, and tracks how many run. Labels are fixed at boot (service and
 * endpoint name, never the subject); an unknown error counts as `INTERNAL`, as the caller sees it.
 */
export class RequestMetrics implements Middleware {
  readonly name = 'metrics';
  private readonly duration: ReturnType<Histogram<string>['labels']>;
  private readonly inFlight: ReturnType<Gauge<string>['labels']>;
  private readonly codes = new Map<string, ReturnType<Counter<string>['labels']>>();
  private readonly requests: Counter<'service' | 'endpoint' | 'code'>;

  constructor(
    metrics: MeshMetrics,
    private readonly service: string,
    private readonly endpoint: string,
  ) {
    this.requests = metrics.requests;
    this.duration = metrics.duration.labels(service, endpoint);
    this.inFlight = metrics.inFlight.labels(service, endpoint);
    // Present at 0 from the first scrape, so rate() works from the start.
    this.count('OK', 0);
  }

  handle(_ctx: HandleContext, next: Next): unknown {
    const started = performance.now();
    this.inFlight.inc();
    let out: unknown;
    try {
      out = next();
    } catch (err) {
      this.done(started, codeOf(err));
      throw err;
    }
    if (!isThenable(out)) {
      this.done(started, out === NO_REPLY ? EXPIRED_CODE : 'OK');
      return out;
    }
    return Promise.resolve(out).then(
      (value) => {
        this.done(started, value === NO_REPLY ? EXPIRED_CODE : 'OK');
        return value;
      },
      (err: unknown) => {
        this.done(started, codeOf(err));
        throw err;
      },
    );
  }

  private done(started: number, code: string): void {
    this.inFlight.dec();
    this.duration.observe((performance.now() - started) / 1000);
    this.count(code, 1);
  }

  private count(code: string, by: number): void {
    let c = this.codes.get(code);
    if (c === undefined) this.codes.set(code, (c = this.requests.labels(this.service, this.endpoint, code)));
    c.inc(by);
  }
}

function codeOf(err: unknown): string {
  if (err === EXPIRED) return EXPIRED_CODE;
  return MeshError.is(err) ? err.code : 'INTERNAL';
}
