import { encodeJson } from '../codec/json-codec';
import { MeshError } from '../errors/mesh-error';

/**
 * The JSON bytes of a request or event the caller sends.
 *
 * @throws MeshError `BAD_REQUEST` for data JSON cannot carry (a BigInt, a cycle), naming the subject.
 */
export function encodePayload(data: unknown, what: 'request' | 'event', subject: string): Uint8Array {
  try {
    return encodeJson(data);
  } catch (err) {
    throw new MeshError('BAD_REQUEST', `Cannot encode the ${what} for "${subject}" as JSON: ${(err as Error).message}`, undefined, { cause: err });
  }
}
