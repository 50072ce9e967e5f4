import { headers as natsHeaders, type MsgHdrs } from 'nats';

/** Headers as a plain record or nats.js `MsgHdrs`. */
export type HeadersInit = Readonly<Record<string, string>> | MsgHdrs;

/** nats.js headers from either form; `MsgHdrs` pass through as they are. */
export function toMsgHdrs(init: HeadersInit): MsgHdrs {
  if (typeof (init as MsgHdrs).keys === 'function' && typeof (init as MsgHdrs).get === 'function') return init as MsgHdrs;
  const h = natsHeaders();
  for (const [k, v] of Object.entries(init)) h.set(k, v);
  return h;
}
