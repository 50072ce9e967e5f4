/**
 * How a client spreads requests over the instances of a service:
 * - `queue` (default): the NATS queue group picks; needs no registry.
 * - `round-robin`: each instance in turn.
 * - `least-request`: the instance with the fewest requests in flight (its heartbeat plus this client's own).
 * - `latency`: the lowest moving average of the latency this client observed, weighted by what it has in flight.
 * - `consistent-hash`: the same key goes to the same instance (rendezvous hashing with bounded load).
 * - `zone`: instances in the caller's zone first (least-request among them), the others only when none is left.
 */
export type Strategy = 'queue' | 'round-robin' | 'least-request' | 'latency' | 'consistent-hash' | 'zone';

/** Where a `consistent-hash` key comes from: a top-level payload field, or a header. */
export type HashKeySource = string | { readonly header: string };

/** Load balancing of calls, per call (`request` options) or per service (`client.service(name, options)`). */
export interface BalanceOptions {
  readonly strategy?: Strategy;
  /** The `consistent-hash` key itself. */
  readonly key?: string;
  /** Where to take the `consistent-hash` key from when `key` is not given. */
  readonly hashKey?: HashKeySource;
}

/** The strategies a client knows, for checking options. */
export const STRATEGIES: ReadonlySet<string> = new Set<Strategy>(['queue', 'round-robin', 'least-request', 'latency', 'consistent-hash', 'zone']);
