import type { TextMapPropagator, TracerProvider } from '@opentelemetry/api';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import { checkKnownKeys } from '../options/check-known-keys';
import { hasGlobalTracerProvider, loadOtelApi } from './load-otel-api';
import { MeshTracing } from './mesh-tracing';

/**
 * Options of `createApp({ tracing })` and `createClient({ tracing })` beyond `true`/`false`.
 *
 * @example
 * createApp({ services, tracing: { tracerProvider: provider } });
 */
export interface TracingOptions {
  /** The provider whose tracer makes the spans; default the global one of `@opentelemetry/api` (the SDK's, once started). */
  tracerProvider?: TracerProvider;
  /**
   * Writes and reads the trace context in NATS headers; default the global propagator when one
   * is registered (an SDK registers W3C Trace Context and Baggage), else W3C Trace Context
   * (`traceparent`, `tracestate`) alone.
   */
  propagator?: TextMapPropagator;
}

const TRACING_KEYS: readonly (keyof TracingOptions)[] = ['tracerProvider', 'propagator'];

/** What the `tracing` option of `createApp` and `createClient` takes. */
export type TracingOption = boolean | TracingOptions;

/**
 * Decides at boot whether an app or client traces, and with what:
 * - absent: on when a tracer provider is registered with the global `@opentelemetry/api` now
 *   (an SDK started before `createApp`/`createClient`), else off;
 * - `true`: on with the global provider, even one registered later (spans are no-ops until then);
 * - `false`: off;
 * - `{ tracerProvider, propagator }`: on with these; `{}` is the same as `true`.
 * Off: undefined, and nothing of OpenTelemetry is loaded.
 *
 * @throws MeshError `INVALID_OPTIONS` for another value, a `tracerProvider` without `getTracer`, a `propagator` without `inject`, `extract` and `fields`, or another key.
 */
export function resolveTracing(option: unknown, where: string): MeshTracing | undefined {
  if (option === false) return undefined;
  if (option === undefined) return hasGlobalTracerProvider() ? new MeshTracing(loadOtelApi().trace.getTracerProvider()) : undefined;
  if (option === true) return new MeshTracing(loadOtelApi().trace.getTracerProvider());
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new MeshError('INVALID_OPTIONS', `${where} option tracing is ${describeValue(option)}: use true, false, or { tracerProvider, propagator }.`);
  }
  checkKnownKeys(option, TRACING_KEYS, `${where} option tracing`);
  const { tracerProvider, propagator } = option as TracingOptions;
  if (tracerProvider !== undefined && typeof (tracerProvider as Partial<TracerProvider> | null)?.getTracer !== 'function') {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${where} option tracing.tracerProvider is ${describeValue(tracerProvider)}: pass an OpenTelemetry TracerProvider (one with getTracer), such as a NodeTracerProvider, or leave it out to use the global one.`,
    );
  }
  if (propagator !== undefined) {
    const p = propagator as Partial<TextMapPropagator> | null;
    if (typeof p?.inject !== 'function' || typeof p.extract !== 'function' || typeof p.fields !== 'function') {
      throw new MeshError(
        'INVALID_OPTIONS',
        `${where} option tracing.propagator is ${describeValue(propagator)}: pass an OpenTelemetry TextMapPropagator (inject, extract, fields), or leave it out for the global one (else W3C Trace Context).`,
      );
    }
  }
  return new MeshTracing(tracerProvider ?? loadOtelApi().trace.getTracerProvider(), propagator);
}
