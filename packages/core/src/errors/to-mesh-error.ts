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
 * Normalises anything thrown into a {@link MeshError}: MeshErrors pass through, nats.js
 * errors get their natsmesh code, anything else becomes `INTERNAL` with `fallbackMessage`.
 */
export function toMeshError(err: unknown, fallbackMessage = 'Internal error'): MeshError {
  if (MeshError.is(err)) return err;
  const natsCode = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof natsCode === 'string' && natsCode in NATS_CODES && (err as Error).name === 'NatsError') {
    const [code, message] = NATS_CODES[natsCode];
    return new MeshError(code, message, undefined, { cause: err });
  }
  return new MeshError('INTERNAL', fallbackMessage, undefined, { cause: err });
}
