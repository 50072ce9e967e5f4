import type { InjectionToken } from 'tsyringe';
import type { SloOptions } from '../metrics/slo-options';
import type { BulkheadOptions, RateLimitOptions, RetryOptions } from '../resilience/resilience-options';

/** A class that can be constructed; DTOs and services. */
export type Constructor<T = unknown> = new (...args: any[]) => T;

/** Options of {@link Service}. */
export interface ServiceOptions {
  /** Semver of the service; default `0.0.0`. */
  readonly version?: string;
  readonly description?: string;
  /** Queue group of the service's handlers; default the service name. */
  readonly queue?: string;
  /** Free-form string metadata, served with discovery. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Subjects this service requests (docs, ACLs). */
  readonly calls?: readonly string[];
  /** Subjects this service publishes events on (docs, ACLs). */
  readonly emits?: readonly string[];
  /**
   * Default of `@Handle({ allow })` for every endpoint of the service: the services (names or
   * subject patterns such as `hotel.>`) whose generated NATS users may call them. Unset: every
   * service that declares the call in its `calls`. Enforced by nats-server (see `natsmesh acl`).
   */
  readonly allow?: readonly string[];
  /**
   * The NATS account the service's generated user belongs to in accounts mode of `natsmesh acl`
   * (one per team or bounded context, e.g. `PAYMENTS`; `[A-Za-z0-9_-]+`). Calls and events cross
   * accounts only through the service exports and imports the generator writes for declared callers.
   * An `--accounts` mapping file overrides it. Unset: the default account.
   */
  readonly account?: string;
}

/** Options of {@link Handle}. */
export interface HandleOptions {
  /** Absolute subject instead of `${service}.${endpoint}`. */
  readonly subject?: string;
  /** Queue group; default the service's queue. */
  readonly queue?: string;
  /** How long a caller waits by default, in ms; the handler's `ctx.signal` aborts then. */
  readonly timeout?: number;
  /** Input DTO class; default the design type of the first parameter. */
  readonly input?: Constructor;
  /** Output DTO class, serialised through class-transformer. */
  readonly output?: Constructor;
  readonly description?: string;
  /**
   * The services (names or subject patterns such as `hotel.>`) whose generated NATS users may
   * call this endpoint; default the service's `allow`. `[]`: no one. Enforced by nats-server
   * through the permissions `natsmesh acl` generates, not by code in the receiver.
   */
  readonly allow?: readonly string[];
  /** Safe to repeat: callers retry it with their default retry policy. */
  readonly idempotent?: boolean;
  /** Retry policy callers follow (they learn it from the class or from discovery); `false`: never retry. */
  readonly retry?: RetryOptions | false;
  /** Token bucket per instance; over it, requests get `RATE_LIMITED` (429) with a `Mesh-Retry-After` header. `false`: none, whatever the app default. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Bound on concurrent runs per instance, with a bounded queue; overflow gets `UNAVAILABLE` at once. `false`: none. */
  readonly bulkhead?: BulkheadOptions | false;
  /** Service level objective (`p99` in ms, `errorRate` a fraction); `natsmesh alerts` writes Prometheus rules from it. */
  readonly slo?: SloOptions;
}

/** Options of {@link On}. */
export interface OnOptions {
  /**
   * `true`: one instance of the service gets each event, in a queue group of its own
   * (`<service queue>.<method>`); a string names the group (createApp refuses a named group
   * shared with an overlapping subscription).
   */
  readonly queue?: boolean | string;
  /**
   * Name of a JetStream durable consumer (`[A-Za-z0-9_-]`): the events are stored in a stream
   * and handled at least once, by one instance of the service each (see docs/delivery-guarantees.md).
   */
  readonly durable?: string;
  /** With `durable`: the stream to consume from; default the app's stream covering the pattern. */
  readonly stream?: string;
  /** With `durable`: deliveries before a failing event goes to the dead-letter subject (5). */
  readonly maxDeliver?: number;
  /** With `durable`: ms to wait before redelivering after the n-th failure; the last entry repeats ([1000, 5000, 15000]). */
  readonly backoff?: readonly number[];
  /** With `durable`: ms a handler may run before the server redelivers the event (30000). */
  readonly ackWait?: number;
  /** With `durable`: events being handled at once per consumer, across instances (1000). */
  readonly maxAckPending?: number;
  /** With `durable`: where dead letters go; default `$NATSMESH.DLQ.<stream>.<durable>`. */
  readonly deadLetter?: string;
  /** Event payload DTO class; default the design type of the first parameter. */
  readonly input?: Constructor;
  readonly description?: string;
}

/** Options of {@link Emits}. */
export interface EmitsOptions {
  /** Payload DTO class of the event. */
  readonly payload?: Constructor;
  readonly description?: string;
}

/** A tsyringe token for {@link Inject}. */
export type Token = InjectionToken<unknown>;
