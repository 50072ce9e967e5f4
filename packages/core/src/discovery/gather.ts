import { createInbox, Empty, type NatsConnection } from 'nats';
import { decodeJson } from '../codec/json-codec';
import { ERROR_CODE_HEADER } from '../runtime/wire-headers';

/** How long {@link gather} collects. */
export interface GatherOptions {
  /** Stop after this long in any case, ms (1000). */
  maxWait?: number;
  /** Stop once no reply came for this long after the last one, ms (150). */
  quiet?: number;
  /** Request payload (empty by default, as discovery requests are). */
  data?: Uint8Array;
}

/**
 * Scatter-gather: publishes one request and collects every JSON reply until the replies go
 * quiet or `maxWait` passes. Resolves with `[]` at once when nobody listens. Replies that are
 * not JSON are skipped.
 */
export function gather<T>(nc: NatsConnection, subject: string, options: GatherOptions = {}): Promise<T[]> {
  const { maxWait = 1000, quiet = 150, data = Empty } = options;
  const inbox = createInbox((nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix);
  const replies: T[] = [];
  return new Promise((resolve) => {
    let quietTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(hardTimer);
      clearTimeout(quietTimer);
      sub.unsubscribe();
      resolve(replies);
    };
    const sub = nc.subscribe(inbox, {
      callback: (err, msg) => {
        if (err || (msg.headers?.code === 503 && msg.data.length === 0)) return finish();
        try {
          // An error reply (say, an answer too large for max_payload) describes no responder.
          if (!msg.headers?.get(ERROR_CODE_HEADER)) replies.push(decodeJson(msg.data) as T);
        } catch {
          // a responder that does not speak JSON is not one we can list
        }
        clearTimeout(quietTimer);
        quietTimer = setTimeout(finish, quiet);
      },
    });
    const hardTimer = setTimeout(finish, maxWait);
    nc.publish(subject, data, { reply: inbox });
  });
}
