import { MeshError } from './mesh-error';

// nats.js ErrorCode values (NatsError.code) that have a natsmesh meaning.
const NATS_CODES: Readonly<Record<string, [code: string, message: string]>> = {
  '503': ['NO_RESPONDERS', 'No service is listening on this subject'],
  TIMEOUT: ['TIMEOUT', 'The request timed out'],
  MAX_PAYLOAD_EXCEEDED: ['PAYLOAD_TOO_LARGE', "The payload is larger than the server's max_payload"],
  CONNECTION_CLOSED: ['UNAVAILABLE', 'The NATS connection is closed'],
  CONNECTION_DRAINING: ['UNAVAILABLE', 'The NATS connection is draining'],
  CONNECTION_REFUSED: ['UNAVAILABLE', 'The NATS server refused the connection'],
  DISCONNECT: ['UNAVAILABLE', 'The NATS connection was lost'],
  PERMISSIONS_VIOLATION: ['FORBIDDEN', 'The NATS server denied this subject to this connection'],
  AUTHORIZATION_VIOLATION: ['UNAUTHORIZED', 'The NATS server rejected the credentials'],
  BAD_SUBJECT: ['BAD_REQUEST', 'The subject is not a valid NATS subject'],
};

/**
 * Normalises anything thrown into a {@link MeshError}: MeshErrors pass through, one from
 * another copy of this package is rebuilt as a MeshError of this one, nats.js errors get their
 * natsmesh code, anything else becomes `INTERNAL` with `fallbackMessage`. Never throws: a value
 * whose fields cannot be read (a revoked Proxy, a throwing getter) is an opaque `INTERNAL` error.
 */
export function toMeshError(err: unknown, fallbackMessage = 'Internal error'): MeshError {
  try {
    if (err instanceof MeshError) return err;
    if (MeshError.is(err)) return new MeshError(err.code, String(err.message), err.details, { status: err.status, cause: err });
    const natsCode = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
    if (typeof natsCode === 'string' && Object.hasOwn(NATS_CODES, natsCode) && (err as Error).name === 'NatsError') {
      const [code, message] = NATS_CODES[natsCode];
      return new MeshError(code, message, undefined, { cause: err });
    }
  } catch {
    // A field that cannot be read: nothing about the value can be trusted.
  }
  return new MeshError('INTERNAL', fallbackMessage, undefined, { cause: err });
}

/** The message of anything thrown, as a string; `fallback` when it has none that can be read. */
export function thrownMessage(err: unknown, fallback: string): string {
  try {
    const message = (err as { message?: unknown } | null | undefined)?.message;
    return typeof message === 'string' ? message : String(err);
  } catch {
    return fallback;
  }
}
