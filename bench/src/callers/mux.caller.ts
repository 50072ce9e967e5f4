import { connect, createInbox, JSONCodec, type Msg } from 'nats';
import { EVENT_SUBJECT, PAYLOAD, REQUEST_SUBJECT, TIMEOUT_MS } from '../workload';
import type { Caller, CreateCaller } from './caller';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  deadline: number;
}

/**
 * The ceiling for a caller built on nats.js: one `_INBOX.x.*` subscription, a Map of pending
 * requests, one sweep timer. No error mapping, no headers, no NO_RESPONDERS handling.
 */
export const createCaller: CreateCaller = async (url): Promise<Caller> => {
  const nc = await connect({ servers: url, name: 'bench-mux-caller' });
  const codec = JSONCodec();
  const prefix = `${createInbox()}.`;
  const pending = new Map<string, Pending>();
  let seq = 0;
  nc.subscribe(`${prefix}*`, {
    callback: (err, msg: Msg) => {
      if (err) return;
      const token = msg.subject.substring(prefix.length);
      const p = pending.get(token);
      if (p === undefined) return;
      pending.delete(token);
      p.resolve(codec.decode(msg.data));
    },
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [token, p] of pending) {
      if (p.deadline <= now) {
        pending.delete(token);
        p.reject(new Error('timeout'));
      }
    }
  }, 250);
  sweep.unref();
  return {
    request: () =>
      new Promise((resolve, reject) => {
        const token = (seq++).toString(36);
        pending.set(token, { resolve, reject, deadline: Date.now() + TIMEOUT_MS });
        nc.publish(REQUEST_SUBJECT, codec.encode(PAYLOAD), { reply: prefix + token });
      }),
    emit: () => nc.publish(EVENT_SUBJECT, codec.encode(PAYLOAD)),
    close: async () => {
      clearInterval(sweep);
      await nc.drain();
    },
  };
};
