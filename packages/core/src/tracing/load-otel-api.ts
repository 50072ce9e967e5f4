import type * as OtelApi from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';

// Loaded only by an app or client with tracing on: importing @natsmesh/core must not pay for it.
let apiModule: typeof OtelApi | undefined;

/** @opentelemetry/api, required on first use. */
export function loadOtelApi(): typeof OtelApi {
  return (apiModule ??= require('@opentelemetry/api') as typeof OtelApi);
}

// Where @opentelemetry/api 1.x keeps what was registered (trace, propagation, context), shared by every copy of the API in the process.
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

/**
 * True when a tracer provider is registered with the global @opentelemetry/api (an SDK was
 * started). Nothing is loaded when nothing registered one: the API keeps its registrations on
 * `globalThis`, so an app without an SDK never requires the API. When something did, the API
 * tells whether the global provider delegates to a real one or to its no-op.
 */
export function hasGlobalTracerProvider(): boolean {
  const registered = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[GLOBAL_KEY];
  if (registered?.trace === undefined) return false;
  const api = loadOtelApi();
  // A fresh proxy answers the API's no-op provider: the global one is no-op when, through its proxies, it answers the same.
  const noop = new api.ProxyTracerProvider().getDelegate();
  let provider: TracerProvider = api.trace.getTracerProvider();
  for (let depth = 0; provider instanceof api.ProxyTracerProvider && depth < 8; depth++) provider = provider.getDelegate();
  return provider !== noop;
}
