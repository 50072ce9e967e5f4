import { ROOT_CONTEXT, trace, TraceFlags, createTraceState } from '@opentelemetry/api';
import { headers as natsHeaders } from 'nats';
import { headersGetter, headersSetter } from './msg-headers-carrier';
import { TraceContextPropagator } from './trace-context-propagator';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('TraceContextPropagator (the W3C fallback)', () => {
  const p = new TraceContextPropagator();
  const extract = (values: Record<string, string>) => {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(values)) h.set(k, v);
    return trace.getSpanContext(p.extract(ROOT_CONTEXT, h, headersGetter));
  };

  it('writes traceparent and tracestate of a valid span context, and nothing for an invalid one', () => {
    const h = natsHeaders();
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, traceState: createTraceState('a=1,b=2') });
    p.inject(ctx, h, headersSetter);
    expect([h.get('traceparent'), h.get('tracestate')]).toEqual([`00-${TRACE}-${SPAN}-01`, 'a=1,b=2']);
    const none = natsHeaders();
    p.inject(trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: SPAN, traceFlags: 0 }), none, headersSetter);
    expect(none.keys()).toEqual([]);
  });

  it('reads a traceparent whatever the header case, as a remote parent', () => {
    expect(extract({ TraceParent: `00-${TRACE}-${SPAN}-01`, tracestate: 'v=x' })).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    expect(extract({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'v=x' })?.traceState?.get('v')).toBe('x');
  });

  it('ignores what is not a valid traceparent', () => {
    for (const bad of [`ff-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01-extra`, `00-${'0'.repeat(32)}-${SPAN}-01`, `00-${TRACE.toUpperCase()}-${SPAN}-01`, 'garbage', '']) {
      expect({ bad, ctx: extract({ traceparent: bad }) }).toEqual({ bad, ctx: undefined });
    }
    expect(extract({})).toBeUndefined();
  });
});
