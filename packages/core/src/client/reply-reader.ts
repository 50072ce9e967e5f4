import type { Msg } from 'nats';
import { codeOfStatus } from '../errors/error-codes';
import { MeshError } from '../errors/mesh-error';
import { decodeJson } from '../codec/json-codec';
import { ERROR_CODE_HEADER, ERROR_HEADER } from '../runtime/wire-headers';

/** The error a caller gets when nobody listens on `subject`. */
export function noResponders(subject: string): MeshError {
  return new MeshError('NO_RESPONDERS', `No service is listening on "${subject}": start one, or check the subject.`);
}

/**
 * Reads a reply: its decoded JSON, or the `MeshError` it carries (natsmesh and plain NATS
 * micro error replies alike).
 *
 * @throws MeshError with the code the responder sent, `NO_RESPONDERS`, or `INTERNAL` for a reply that is not JSON.
 */
export function readReply(msg: Msg, subject: string): unknown {
  const data = msg.data;
  const headers = msg.headers;
  if (headers !== undefined) {
    if (headers.code === 503 && data.length === 0) throw noResponders(subject);
    const status = headers.get(ERROR_CODE_HEADER);
    if (status !== '') throw errorOfReply(statusOf(status), headers.get(ERROR_HEADER), data, subject);
  }
  try {
    return decodeJson(data);
  } catch (err) {
    throw new MeshError('INTERNAL', `The reply on "${subject}" is not JSON: the responder must send JSON.`, undefined, { cause: err });
  }
}

// A status from another implementation is only trusted when it is an HTTP-like error status
// written as three digits: Number() would also read "4e2", "0x190" or "400.0" as 400.
const ERROR_STATUS = /^[45]\d\d$/;
function statusOf(header: string): number {
  return ERROR_STATUS.test(header) ? Number(header) : 500;
}

function errorOfReply(status: number, description: string, data: Uint8Array, subject: string): MeshError {
  let body: unknown;
  try {
    body = decodeJson(data);
  } catch {
    body = undefined;
  }
  if (body !== null && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    const { code, message, details } = body as { code: string; message?: unknown; details?: unknown };
    return new MeshError(code, typeof message === 'string' ? message : description, details, { status });
  }
  return new MeshError(codeOfStatus(status), description || `Request on "${subject}" failed with status ${status}`, body, { status });
}
