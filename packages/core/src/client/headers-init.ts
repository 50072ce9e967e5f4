import { headers as natsHeaders, type MsgHdrs } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';

/** Headers as a plain record or nats.js `MsgHdrs`. */
export type HeadersInit = Readonly<Record<string, string>> | MsgHdrs;

/**
 * nats.js headers from either form; `MsgHdrs` pass through as they are.
 *
 * @throws MeshError `BAD_REQUEST` for a header name or value NATS cannot carry (an empty name, white space or
 * `:` in a name, CR/LF in a value, a value that is not a string).
 */
export function toMsgHdrs(init: HeadersInit): MsgHdrs {
  if (typeof init !== 'object' || init === null) throw new MeshError('BAD_REQUEST', `The headers are ${describeValue(init)}: pass a record of strings or nats.js headers().`);
  if (typeof (init as MsgHdrs).keys === 'function' && typeof (init as MsgHdrs).get === 'function') return init as MsgHdrs;
  const h = natsHeaders();
  for (const [k, v] of Object.entries(init)) {
    if (k === '') throw badHeader(k, 'its name is empty');
    if (typeof v !== 'string') throw badHeader(k, `its value is ${typeof v}, not a string`);
    try {
      h.set(k, v);
    } catch (err) {
      throw badHeader(k, (err as Error).message, err);
    }
  }
  return h;
}

/** A copy of `h` that can be changed without changing `h`; an empty one when `h` is undefined. */
export function copyHeaders(h: MsgHdrs | undefined): MsgHdrs {
  const out = natsHeaders();
  if (h !== undefined) for (const k of h.keys()) for (const v of h.values(k)) out.append(k, v);
  return out;
}

function badHeader(name: string, problem: string, cause?: unknown): MeshError {
  return new MeshError(
    'BAD_REQUEST',
    `Header ${JSON.stringify(name)} cannot be sent (${problem}): use a name of printable characters without white space or ":", and a value without CR or LF.`,
    undefined,
    cause === undefined ? undefined : { cause },
  );
}
