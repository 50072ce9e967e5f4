import { decodeJson } from '../codec/json-codec';
import type { DtoValidator } from '../validation/dto-validator';

/** Decodes a payload and, for a DTO input, validates it; a promise only when the DTO validates asynchronously. */
export function decodeInput(data: Uint8Array, validate: DtoValidator | undefined): unknown {
  const value = decodeJson(data);
  return validate === undefined ? value : validate(value);
}
