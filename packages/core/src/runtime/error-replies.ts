import type { MeshError } from '../errors/mesh-error';

/** Longest `Nats-Service-Error` header value natsmesh sends, in characters; longer messages end in `…`. */
export const MAX_ERROR_HEADER_LENGTH = 1024;

/** One form of an error reply: the header message, the status and the JSON body. */
export interface ErrorReply {
  readonly header: string;
  readonly status: number;
  readonly body: { code: string; message: string; details?: unknown };
  /** The last resort: a constant `INTERNAL` reply, sent without extra headers. */
  readonly last: boolean;
}

/**
 * The forms of an error reply, largest first, to try in turn until one can be encoded and
 * fits the server's max_payload: the error as it is; then, for array details (validation
 * errors), the first half, quarter, … of them; then the code and a bounded message without
 * details; at last a small constant `INTERNAL` reply.
 */
export function* errorReplies(err: MeshError): Generator<ErrorReply> {
  try {
    yield* trimmedForms(err);
  } catch {
    // A field of the error that cannot be read (a subclass's throwing getter): only the constant reply is left.
  }
  const fallback = 'The error reply could not be sent as it was; the service log has the cause.';
  yield { header: fallback, status: 500, body: { code: 'INTERNAL', message: fallback }, last: true };
}

function* trimmedForms(err: MeshError): Generator<ErrorReply> {
  const header = headerMessage(err.message);
  yield { header, status: err.status, body: err.toJSON(), last: false };
  const message = bounded(err.message, MAX_ERROR_HEADER_LENGTH);
  const details = err.details;
  if (Array.isArray(details)) {
    for (let n = details.length >> 1; n >= 1; n >>= 1) {
      const note = ` (${details.length - n} of ${details.length} details not shown: the reply must fit the server's max_payload)`;
      yield { header, status: err.status, body: { code: err.code, message: message + note, details: details.slice(0, n) }, last: false };
    }
  }
  if (details !== undefined) {
    const note = " (details not sent: they cannot be encoded as JSON or do not fit the server's max_payload)";
    yield { header, status: err.status, body: { code: err.code, message: message + note }, last: false };
  } else if (message !== err.message) {
    yield { header, status: err.status, body: { code: err.code, message }, last: false };
  }
}

/**
 * An error message as a header value: line breaks (which headers cannot carry) become spaces,
 * and it is cut at {@link MAX_ERROR_HEADER_LENGTH} characters.
 */
export function headerMessage(message: string): string {
  return bounded(message.replace(/[\r\n]+/g, ' '), MAX_ERROR_HEADER_LENGTH);
}

function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Do not cut a surrogate pair in half.
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}
