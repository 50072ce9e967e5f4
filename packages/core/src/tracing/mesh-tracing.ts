import type * as Otel from '@opentelemetry/api';
import type { Context, TextMapPropagator, Tracer, TracerProvider } from '@opentelemetry/api';
import type { Middleware } from '../middleware/middleware';
import { ClientSpans } from './client-span.middleware';
import { loadOtelApi } from './load-otel-api';
import { EndpointSpans, EventSpans } from './server-span.middleware';
import { TraceContextPropagator } from './trace-context-propagator';

/** The @opentelemetry/api module. */
export type OtelApi = typeof Otel;

/** Name and version of the tracer natsmesh asks the provider for (the instrumentation scope). */
export const TRACER_NAME = '@natsmesh/core';

/**
 * The tracing of one app or client, built at boot only when tracing is on: the tracer, the
 * propagator, and the built-in middleware that make the spans (`handle`, `event`, `call`,
 * `emit`) and carry the trace context in NATS headers.
 */
export class MeshTracing {
  /** @internal */ readonly api: OtelApi;
  /** @internal */ readonly tracer: Tracer;
  private readonly fallback = new TraceContextPropagator();

  constructor(
    provider: TracerProvider,
    private readonly propagator?: TextMapPropagator,
  ) {
    this.api = loadOtelApi();
    this.tracer = provider.getTracer(TRACER_NAME);
  }

  /** @internal Writes the trace context of `context` into `carrier`. */
  inject<C>(context: Context, carrier: C, setter: Otel.TextMapSetter<C>): void {
    this.current().inject(context, carrier, setter);
  }

  /** @internal Reads the trace context in `carrier` (ROOT when it carries none). */
  extract<C>(carrier: C, getter: Otel.TextMapGetter<C>): Context {
    return this.current().extract(this.api.ROOT_CONTEXT, carrier, getter);
  }

  // The global propagator is looked up per message: an SDK started after the app still counts.
  private current(): TextMapPropagator {
    if (this.propagator !== undefined) return this.propagator;
    const global = this.api.propagation;
    return global.fields().length > 0 ? global : this.fallback;
  }

  /** The built-in `handle` middleware of one endpoint: a SERVER span per request. */
  forEndpoint(service: string, endpoint: string, subject: string, queue: string): Middleware {
    return new EndpointSpans(this, service, endpoint, subject, queue);
  }

  /** The built-in `event` middleware of one `@On` handler: a CONSUMER span per delivery, child of and linked to the producer's. */
  forEvents(service: string, handler: string, pattern: string, group: string | undefined): Middleware {
    return new EventSpans(this, service, handler, pattern, group);
  }

  /** The built-in `call` and `emit` middleware of a client: CLIENT and PRODUCER spans, their context in the headers. */
  forClient(): Middleware {
    return new ClientSpans(this);
  }
}
