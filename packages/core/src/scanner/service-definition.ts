import type { Constructor, OnOptions, Token } from '../metadata/options';
import type { SloOptions } from '../metrics/slo-options';
import type { MiddlewareRef } from '../middleware/middleware';
import type { BulkheadOptions, RateLimitOptions, RetryOptions } from '../resilience/resilience-options';

/** The JetStream part of {@link OnOptions}. */
export type DurableOnOptions = Pick<OnOptions, 'stream' | 'maxDeliver' | 'backoff' | 'ackWait' | 'maxAckPending' | 'deadLetter'>;

/** One request/reply endpoint of a service, as the runtime, docs and CLI see it. */
export interface EndpointDefinition {
  readonly name: string;
  readonly method: string;
  readonly subject: string;
  readonly queue: string;
  readonly timeout: number | undefined;
  /** The DTO class that validates the input, when the input type is a class. */
  readonly input: Constructor | undefined;
  readonly output: Constructor | undefined;
  readonly description: string | undefined;
  readonly idempotent: boolean | undefined;
  readonly retry: RetryOptions | false | undefined;
  readonly rateLimit: RateLimitOptions | false | undefined;
  readonly bulkhead: BulkheadOptions | false | undefined;
  /** The endpoint's service level objective, checked. */
  readonly slo: SloOptions | undefined;
  /** `@Use` on the method (inner to the service's), in the order given. */
  readonly middleware: readonly MiddlewareRef[];
  /** Services (names or patterns) that may call it, from `@Handle` or `@Service` `allow`; undefined: every declared caller. */
  readonly allow: readonly string[] | undefined;
}

/** One event subscription of a service. */
export interface SubscriptionDefinition {
  readonly method: string;
  readonly pattern: string;
  /** Queue group, undefined for fan-out. */
  readonly queue: string | undefined;
  readonly durable: string | undefined;
  /** The JetStream options of a durable subscription, as given (defaults apply at createApp). */
  readonly durableOptions: DurableOnOptions | undefined;
  readonly input: Constructor | undefined;
  readonly description: string | undefined;
  /** `@Use` on the method (inner to the service's), in the order given. */
  readonly middleware: readonly MiddlewareRef[];
}

/** One event the service declares it publishes. */
export interface EmittedEventDefinition {
  readonly subject: string;
  readonly payload: Constructor | undefined;
  readonly description: string | undefined;
}

/** A constructor dependency: by type, or by the token of `@Inject`. */
export interface DependencyDefinition {
  readonly index: number;
  readonly token: Token | undefined;
}

/** Everything natsmesh knows about one service class; immutable. */
export interface ServiceDefinition {
  readonly name: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly queue: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly calls: readonly string[];
  readonly emits: readonly EmittedEventDefinition[];
  /** `@Service({ account })`: the NATS account of its generated user in accounts mode. */
  readonly account: string | undefined;
  readonly endpoints: readonly EndpointDefinition[];
  readonly subscriptions: readonly SubscriptionDefinition[];
  readonly dependencies: readonly DependencyDefinition[];
  /** `@Use` on the class and its base classes (base first), around every handler of the service. */
  readonly middleware: readonly MiddlewareRef[];
  readonly target: Constructor;
}
