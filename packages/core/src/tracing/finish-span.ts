import type { Span } from '@opentelemetry/api';
import { MeshError } from '../errors/mesh-error';
import { isThenable } from '../runtime/is-thenable';
import { EXPIRED, NO_REPLY } from '../runtime/no-reply';
import type { OtelApi } from './mesh-tracing';

/** `error.type` of a request dropped for its deadline (no reply sent), as in the metrics' `code`. */
export const EXPIRED_ERROR_TYPE = 'EXPIRED';

/**
 * Runs `step` and ends `span` when it settles: status ERROR with `error.type` (the MeshError
 * code; `INTERNAL` for anything else, as the caller sees it) and the exception recorded when it
 * throws or rejects; ERROR with `EXPIRED` for a request dropped for its deadline. Returns what
 * `step` returned, unchanged; stays synchronous when `step` is.
 */
export function finishSpan(api: OtelApi, span: Span, step: () => unknown): unknown {
  let out: unknown;
  try {
    out = step();
  } catch (err) {
    failSpan(api, span, err);
    throw err;
  }
  if (!isThenable(out)) {
    endSpan(api, span, out);
    return out;
  }
  return Promise.resolve(out).then(
    (value) => {
      endSpan(api, span, value);
      return value;
    },
    (err: unknown) => {
      failSpan(api, span, err);
      throw err;
    },
  );
}

function endSpan(api: OtelApi, span: Span, value: unknown): void {
  if (value === NO_REPLY) expire(api, span);
  span.end();
}

function failSpan(api: OtelApi, span: Span, err: unknown): void {
  if (err === EXPIRED) {
    expire(api, span);
  } else {
    const code = MeshError.is(err) ? err.code : 'INTERNAL';
    span.setAttribute('error.type', code);
    const message = messageOf(err);
    span.recordException(err instanceof Error ? err : { name: code, message });
    span.setStatus({ code: api.SpanStatusCode.ERROR, message });
  }
  span.end();
}

function expire(api: OtelApi, span: Span): void {
  span.setAttribute('error.type', EXPIRED_ERROR_TYPE);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: 'dropped: the deadline passed before the handler ran; no reply was sent' });
}

// What was thrown may be anything, with a toString that throws.
function messageOf(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return typeof err;
  }
}
