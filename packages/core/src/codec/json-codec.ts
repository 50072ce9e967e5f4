import { MeshError } from '../errors/mesh-error';
import { classTransformer } from '../validation/lazy-modules';

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });
// A key "__proto__" or "constructor" is written either as the word or with \u escapes of its
// letters (U+005F..U+0075). Text with neither cannot hold one and skips the key check.
const DANGEROUS_WORD = /__proto__|constructor/;
const LETTER_ESCAPE = /\\u00[5-7]/;

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
 * Decodes a JSON payload; an empty payload is `undefined`. See {@link parseJson} for the keys
 * it drops.
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
  return parseJson(text);
}

/**
 * Parses JSON text and drops, at any depth and however the key is escaped, every `__proto__`
 * key and every `constructor` key whose value holds a `prototype`: no later copy or merge of
 * the result into an object can then reach a prototype.
 *
 * @throws MeshError `BAD_REQUEST` for malformed JSON.
 */
export function parseJson(text: string): unknown {
  try {
    // The reviver costs about 2x; only text that may spell a dangerous key pays for it. One
    // regex with the escape as a third branch costs 15 ns more per payload than the word test
    // plus an indexOf (measured on the bench payload): most payloads have no backslash at all.
    const suspect = DANGEROUS_WORD.test(text) || (text.indexOf('\\') !== -1 && LETTER_ESCAPE.test(text));
    return suspect ? JSON.parse(text, dropDangerousKeys) : JSON.parse(text);
  } catch (err) {
    throw new MeshError('BAD_REQUEST', `The payload is not valid JSON (${(err as Error).message}): send a JSON document.`);
  }
}

// JSON.parse hands the reviver the decoded key, so every spelling of it looks the same here.
function dropDangerousKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, 'prototype')) return undefined;
  return value;
}
