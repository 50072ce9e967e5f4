import { headers as natsHeaders, type Msg } from 'nats';
import { encodeJson } from '../codec/json-codec';
import { MeshError } from '../errors/mesh-error';
import { toMeshError } from '../errors/to-mesh-error';
import type { Logger } from '../logging/logger';
import { ERROR_CODE_HEADER, ERROR_HEADER } from './wire-headers';

/**
 * Sends a successful reply; a reply too large for the server becomes a `PAYLOAD_TOO_LARGE`
 * error reply. Returns the error it had to send instead, if any.
 */
export function replyValue(msg: Msg, value: unknown, log: Logger): MeshError | undefined {
  if (!msg.reply) return undefined;
  let data: Uint8Array;
  try {
    data = encodeJson(value);
  } catch (err) {
    return replyError(msg, new MeshError('INTERNAL', `The handler on "${msg.subject}" returned a value that cannot be encoded as JSON.`, undefined, { cause: err }), log);
  }
  try {
    msg.respond(data);
  } catch (err) {
    return replyError(msg, toMeshError(err, `Cannot send the reply on "${msg.subject}"`), log);
  }
  return undefined;
}

/**
 * Sends an error reply in the NATS Service API form: `Nats-Service-Error` (message) and
 * `Nats-Service-Error-Code` (status) headers, with `{ code, message, details }` as the body.
 * Unknown errors go out as `INTERNAL` without their message or stack; those are logged here.
 * Returns the error as sent.
 */
export function replyError(msg: Msg, err: unknown, log: Logger): MeshError {
  const meshError = MeshError.is(err)
    ? err
    : toMeshError(err, `Internal error while handling "${msg.subject}"; the service log has the cause.`);
  if (meshError.status >= 500) log.error({ err: MeshError.is(err) ? err : (err as object), subject: msg.subject }, 'request failed');
  sendError(msg, meshError, log, undefined);
  return meshError;
}

/**
 * Answers a request the endpoint turned away (rate limit, full bulkhead) without logging it:
 * under load that would be a log line per request. `extra` is one more header to send.
 */
export function replyRefusal(msg: Msg, err: MeshError, log: Logger, extra?: readonly [string, string]): void {
  sendError(msg, err, log, extra);
}

function sendError(msg: Msg, meshError: MeshError, log: Logger, extra: readonly [string, string] | undefined): void {
  if (!msg.reply) return;
  const h = natsHeaders();
  if (extra !== undefined) h.set(extra[0], extra[1]);
  // Header values cannot carry line breaks.
  h.set(ERROR_HEADER, meshError.message.replace(/[\r\n]+/g, ' '));
  h.set(ERROR_CODE_HEADER, String(meshError.status));
  try {
    msg.respond(encodeJson(meshError.toJSON()), { headers: h });
  } catch (sendErr) {
    log.error({ err: sendErr as Error, subject: msg.subject }, 'cannot send the error reply');
  }
}
