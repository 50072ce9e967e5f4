import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { Match, type MsgHdrs } from 'nats';

/** Writes propagation fields (`traceparent`, `tracestate`, `baggage`) into NATS headers, replacing any there, whatever their case. */
export const headersSetter: TextMapSetter<MsgHdrs> = {
  set: (h, key, value) => {
    h.delete(key, Match.IgnoreCase);
    h.set(key, value);
  },
};

/** Reads propagation fields from NATS headers, whatever their case (nats.js answers "" for a missing key). */
export const headersGetter: TextMapGetter<MsgHdrs | undefined> = {
  get: (h, key) => h?.get(key, Match.IgnoreCase) || undefined,
  keys: (h) => (h === undefined ? [] : h.keys()),
};
