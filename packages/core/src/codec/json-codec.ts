import { MeshError } from '../errors/mesh-error';
import { classTransformer } from '../validation/lazy-modules';

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const DANGEROUS = /__proto__|constructor|prototype/;

/** Encodes a value as JSON bytes; `undefined` becomes an empty payload. Class instances go through class-transformer. */
export function encodeJson(value: unknown): Uint8Array {
  if (value === undefined) return EMPTY;
  if (value !== null && typeof value === 'object' && !isPlain(value)) value = classTransformer().instanceToPlain(value);
  return Buffer.from(JSON.stringify(value));
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Array.isArray(value);
}

/**
 * Decodes a JSON payload; an empty payload is `undefined`. Keys `__proto__`, `constructor`
 * and `prototype` are dropped so that no later copy into an object can change a prototype.
 *
 * @throws MeshError `BAD_REQUEST` for invalid UTF-8 or malformed JSON.
 */
export function decodeJson(data: Uint8Array): unknown {
  if (data.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw new MeshError('BAD_REQUEST', 'The payload is not valid UTF-8: send JSON text encoded as UTF-8.');
  }
  try {
    // The reviver costs about 2x; only payloads that name a dangerous key pay for it.
    return DANGEROUS.test(text) ? JSON.parse(text, dropDangerousKeys) : JSON.parse(text);
  } catch (err) {
    throw new MeshError('BAD_REQUEST', `The payload is not valid JSON (${(err as Error).message}): send a JSON document.`);
  }
}

function dropDangerousKeys(key: string, value: unknown): unknown {
  return key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value;
}
