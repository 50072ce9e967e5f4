import type { ValidatorOptions } from 'class-validator';
import type { DependencyContainer } from 'tsyringe';
import type { NatsInput } from '../client/nats-connection';
import type { Provider } from '../di/provider';
import type { JetStreamOptions } from '../durable/stream-options';
import type { Logger } from '../logging/logger';
import type { Constructor } from '../metadata/options';
import type { Strategy } from '../balancing/strategy';
import type { AppResilienceOptions } from '../resilience/resilience-options';
import type { MiddlewareRef } from '../middleware/middleware';
import type { MetricsOptions } from '../metrics/metrics-options';
import type { TracingOptions } from '../tracing/tracing-options';
import type { IdentityOptions } from '../identity/identity-options';

/** Identity of one running app instance. */
export interface InstanceOptions {
  /** Unique id; default a fresh NUID. */
  id?: string;
  /** Zone or region the instance runs in, for discovery and zone-aware routing. */
  zone?: string;
}

/** How an app takes part in discovery. */
export interface DiscoveryOptions {
  /** How often the app publishes its heartbeat, ms (5000); registries drop it after 3 missed ones. */
  heartbeatInterval?: number;
}

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Service classes to host. */
  services?: readonly Constructor[];
  /** Globs of compiled files to import; every exported `@Service` class found is hosted. */
  scan?: string | readonly string[];
  /** Where `scan` globs are resolved; default `process.cwd()`. */
  cwd?: string;
  /** Connection options, or an open connection the caller keeps owning. Default: `NATS_URL` or `nats://127.0.0.1:4222`. */
  nats?: NatsInput;
  /** Extra things dependency injection can build. */
  providers?: readonly Provider[];
  /** Parent container; default tsyringe's root container. */
  container?: DependencyContainer;
  /** Instance id (a string) or identity. */
  instance?: string | InstanceOptions;
  /** Default request timeout in ms for the client and for handlers' deadlines (5000). */
  timeout?: number;
  /** How long stop() waits for handlers in flight, in ms (10000). */
  drainTimeout?: number;
  /** class-validator options for DTO inputs (defaults: `forbidUnknownValues: true`). */
  validation?: ValidatorOptions;
  /** Discovery settings, or `false` to answer no `$SRV` or natsmesh discovery requests. */
  discovery?: DiscoveryOptions | false;
  /**
   * A pino logger (or any object with pino's `trace`…`fatal` methods and `child`), or `false` for
   * no logging at all. Default: pino, JSON lines on stderr at `NATSMESH_LOG_LEVEL` or info.
   * Anything else, `console` included, is refused with `INVALID_OPTIONS`.
   */
  logger?: Logger | false;
  /**
   * Largest request or event payload in bytes the app's handlers accept; a larger request is
   * answered with `PAYLOAD_TOO_LARGE` (413) before it is decoded. Default: only the server's max_payload.
   */
  maxPayload?: number;
  /** JetStream settings for durable `@On` subscriptions: streams, their limits, the domain. */
  jetstream?: JetStreamOptions;
  /**
   * Resilience defaults: `rateLimit` and `bulkhead` for every endpoint that sets none; `retry`,
   * `budget` and `breaker` for `app.client` (and so `ctx.request`).
   */
  resilience?: AppResilienceOptions;
  /** Default load-balancing strategy of `app.client` (`queue`). */
  strategy?: Strategy;
  /**
   * App-wide middleware, outermost: its `handle`, `event`, guard and interceptor hooks wrap every
   * handler of the app, before the service's and the handler's `@Use`; its `call` and `emit` hooks
   * wrap `app.client` (and so `ctx.request`, `ctx.emit`). Classes are built by the app's container.
   */
  middleware?: readonly MiddlewareRef[];
  /**
   * Prometheus metrics and health checks: an HTTP server on `port` (started by `app.start()`,
   * closed by `app.stop()`) serving `/metrics` (or `path`), `/healthz` and `/readyz`; the
   * registry is `app.metrics`. Absent or `false`: off, and nothing is counted per message.
   */
  metrics?: MetricsOptions | false;
  /**
   * OpenTelemetry tracing of every request, event, `ctx.request` and `ctx.emit`, with the trace
   * context in NATS headers (W3C `traceparent`). Absent: on when a tracer provider is registered
   * with the global `@opentelemetry/api` when `createApp` runs (an SDK started first), else off;
   * `true`: on with the global provider even if registered later; `false`: off (nothing of
   * OpenTelemetry is loaded or done per message); `{ tracerProvider, propagator }`: these.
   */
  tracing?: boolean | TracingOptions;
  /**
   * Signed caller identity (off by default; see docs/security.md, "Caller identity"): with
   * `seed`/`seedFile`, `app.client` and `ctx.request` sign every request as `name`; with `trust`,
   * every endpoint refuses requests not signed by a trusted caller (`UNAUTHORIZED`) and sets `ctx.caller`.
   */
  identity?: IdentityOptions;
  /**
   * The control plane (`app.rules`, followed from the `natsmesh_rules` KV bucket, in the
   * `jetstream.domain` when set): on by default when the server has JetStream, read by
   * `app.start()` before the app serves; without JetStream it is off and says so in one log
   * line. `false` turns it off (`app.rules` is `NO_RULES`).
   */
  control?: boolean;
}
