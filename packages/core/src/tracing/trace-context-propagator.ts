import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { loadOtelApi } from './load-otel-api';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
// version 00: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>; later versions may append fields.
const TRACEPARENT_FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * W3C Trace Context (`traceparent`, `tracestate`), for when no propagator is registered with the
 * global @opentelemetry/api (a tracer provider passed as `{ tracerProvider }` without an SDK
 * started): traces still cross the wire. The SDK's own propagator is used whenever one is there.
 */
export class TraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const api = loadOtelApi();
    const sc = api.trace.getSpanContext(context);
    if (sc === undefined || !api.isSpanContextValid(sc)) return;
    setter.set(carrier, TRACEPARENT, `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & 1).toString(16)}`);
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const api = loadOtelApi();
    const raw = getter.get(carrier, TRACEPARENT);
    const parent = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    const m = parent === undefined ? null : TRACEPARENT_FORMAT.exec(parent);
    if (m === null || m[1] === 'ff' || (m[1] === '00' && m[5] !== undefined)) return context;
    const sc = { traceId: m[2], spanId: m[3], traceFlags: parseInt(m[4], 16) & 1, isRemote: true };
    if (!api.isSpanContextValid(sc)) return context;
    const rawState = getter.get(carrier, TRACESTATE);
    const state = Array.isArray(rawState) ? rawState.join(',') : rawState;
    return api.trace.setSpanContext(context, state ? { ...sc, traceState: api.createTraceState(state) } : sc);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}
