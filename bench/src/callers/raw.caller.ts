import { connect, JSONCodec } from 'nats';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT, TIMEOUT_MS } from '../workload';
import type { Caller, CreateCaller } from './caller';

/** `nc.request` as nats.js documents it: a timer and (by default) a stack-trace Error per request. */
export function rawCaller(noAsyncTraces: boolean): CreateCaller {
  return async (url): Promise<Caller> => {
    const nc = await connect({ servers: url, name: 'bench-raw-caller', noAsyncTraces });
    const codec = JSONCodec();
    const opts = { timeout: TIMEOUT_MS };
    return {
      request: () => nc.request(REQUEST_SUBJECT, codec.encode(PAYLOAD), opts).then((m) => codec.decode(m.data)),
      emit: () => nc.publish(EVENT_SUBJECT, codec.encode(PAYLOAD)),
      close: () => nc.drain(),
    };
  };
}

export const createCaller = rawCaller(false);
