import { headers as natsHeaders, type Msg, type MsgHdrs } from 'nats';
import { encodeJson } from '../codec/json-codec';
import { MeshError } from '../errors/mesh-error';
import { toMeshError } from '../errors/to-mesh-error';
import { logSafely } from '../logging/log-safely';
import type { Logger } from '../logging/logger';
import { errorReplies } from './error-replies';
import { ERROR_CODE_HEADER, ERROR_HEADER } from './wire-headers';

// nats.js compares data plus headers with the server's max_payload (nc.info.max_payload) before
// it writes anything and throws MAX_PAYLOAD_EXCEEDED synchronously, so a reply that is too large
// is known here, at no cost on the success path, and another one can still be sent.

/**
 * Sends a successful reply; a value that cannot be encoded becomes an `INTERNAL` error reply,
 * one too large for the server a `PAYLOAD_TOO_LARGE` one. Returns the error it had to send
 * instead, if any. `headers` (from middleware) go out with the reply, and with an error sent instead.
 */
export function replyValue(msg: Msg, value: unknown, log: Logger, headers?: MsgHdrs): MeshError | undefined {
  if (!msg.reply) return undefined;
  let data: Uint8Array;
  try {
    data = encodeJson(value);
  } catch (err) {
    return replyError(msg, new MeshError('INTERNAL', `The reply on "${msg.subject}" cannot be encoded as JSON.`, undefined, { cause: err }), log, headers);
  }
  try {
    msg.respond(data, headers === undefined ? undefined : { headers });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'MAX_PAYLOAD_EXCEEDED') return replyError(msg, toMeshError(err, `Cannot send the reply on "${msg.subject}"`), log, headers);
    const tooLarge = new MeshError(
      'PAYLOAD_TOO_LARGE',
      `The reply on "${msg.subject}" has ${data.length} bytes, more than the server's max_payload: return less data (page it, or send a reference).`,
      { size: data.length },
      { cause: err },
    );
    logSafely(() => log.warn({ err: tooLarge, subject: msg.subject }, 'reply too large; sent PAYLOAD_TOO_LARGE instead'));
    return replyError(msg, tooLarge, log, headers);
  }
  return undefined;
}

/**
 * Sends an error reply in the NATS Service API form: `Nats-Service-Error` (the message, at
 * most `MAX_ERROR_HEADER_LENGTH` characters) and `Nats-Service-Error-Code` (status)
 * headers, with `{ code, message, details }` as the body. A body that cannot be encoded or
 * sent is trimmed until it can (see {@link errorReplies}), so the caller always gets an answer.
 * Unknown errors go out as `INTERNAL` without their message or stack; those are logged here,
 * after the reply, and a logger that throws changes nothing. Returns the error as meant.
 * `headers` (from middleware) go out too, except on the last, smallest fallback reply.
 */
export function replyError(msg: Msg, err: unknown, log: Logger, headers?: MsgHdrs): MeshError {
  const meshError = toMeshError(err, `Internal error while handling "${msg.subject}"; the service log has the cause.`);
  sendError(msg, meshError, log, headers);
  if (meshError.status >= 500) logSafely(() => log.error({ err: err as object, subject: msg.subject }, 'request failed'));
  return meshError;
}

/**
 * Answers a request the endpoint turned away (rate limit, full bulkhead) without logging it:
 * under load that would be a log line per request. `headers` go out with it (`Mesh-Retry-After`).
 */
export function replyRefusal(msg: Msg, err: MeshError, log: Logger, headers?: MsgHdrs): MeshError {
  sendError(msg, err, log, headers);
  return err;
}

function sendError(msg: Msg, meshError: MeshError, log: Logger, extra: MsgHdrs | undefined): void {
  if (!msg.reply) return;
  let failure: unknown;
  for (const reply of errorReplies(meshError)) {
    try {
      const h = natsHeaders();
      if (extra !== undefined && !reply.last) for (const k of extra.keys()) for (const v of extra.values(k)) h.append(k, v);
      h.set(ERROR_HEADER, reply.header);
      h.set(ERROR_CODE_HEADER, String(reply.status));
      msg.respond(encodeJson(reply.body), { headers: h });
    } catch (err) {
      failure ??= err;
      continue;
    }
    if (failure !== undefined) logSafely(() => log.warn({ err: failure as Error, subject: msg.subject, code: meshError.code }, 'error reply trimmed to be sent'));
    return;
  }
  logSafely(() => log.error({ err: failure as Error, subject: msg.subject }, 'cannot send the error reply'));
}
