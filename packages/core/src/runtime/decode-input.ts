import { decodeJson } from '../codec/json-codec';
import { MeshError } from '../errors/mesh-error';
import type { DtoValidator } from '../validation/dto-validator';

/**
 * Checks the size against the app's `maxPayload`, decodes the payload and, for a DTO input,
 * validates it; a promise only when the DTO validates asynchronously.
 *
 * @throws MeshError `PAYLOAD_TOO_LARGE` before decoding, `BAD_REQUEST`, `VALIDATION_FAILED`.
 */
export function decodeInput(data: Uint8Array, validate: DtoValidator | undefined, maxPayload: number | undefined): unknown {
  const value = decodePayload(data, maxPayload);
  return validate === undefined ? value : validate(value);
}

/**
 * Checks the size against the app's `maxPayload` and decodes the JSON payload.
 *
 * @throws MeshError `PAYLOAD_TOO_LARGE` before decoding, `BAD_REQUEST`.
 */
export function decodePayload(data: Uint8Array, maxPayload: number | undefined): unknown {
  if (maxPayload !== undefined && data.length > maxPayload) {
    throw new MeshError('PAYLOAD_TOO_LARGE', `The payload has ${data.length} bytes, more than this app's maxPayload of ${maxPayload}: send less data.`, {
      size: data.length,
      limit: maxPayload,
    });
  }
  return decodeJson(data);
}
