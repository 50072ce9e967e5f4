import { parseJson } from '@natsmesh/core';
import { UsageError } from './cli-error';
import { repeatableOption } from './repeatable-option';

/** `--header key=value`, repeatable: the headers of a request or event (see {@link parseHeaders}). */
export const HEADER_OPTION = repeatableOption('--header <key=value>', 'a message header (repeatable)');

/**
 * Parses a JSON command-line argument the way services decode payloads (`__proto__` and
 * `constructor.prototype` keys dropped, whatever their escape); undefined when absent.
 */
export function parseJsonArgument(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return parseJson(text);
  } catch (err) {
    throw new UsageError(`${(err as Error).message} Quote it for the shell, e.g. '{"guest":"Ann","room":3}'.`);
  }
}

/** Turns repeated `--header k=v` options into a record. */
export function parseHeaders(values: string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  // No prototype: a header named "__proto__" is an entry like any other, not a setter call.
  const out = Object.create(null) as Record<string, string>;
  for (const kv of values) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--header "${kv}" is not key=value.`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
