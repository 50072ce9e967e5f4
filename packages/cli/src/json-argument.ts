import { UsageError } from './cli-error';

/** Parses a JSON command-line argument; undefined when absent. */
export function parseJsonArgument(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`The payload is not valid JSON (${(err as Error).message}): quote it, e.g. '{"guest":"Ann","room":3}'.`);
  }
}

/** Turns repeated `--header k=v` options into a record. */
export function parseHeaders(values: string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const kv of values) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--header "${kv}" is not key=value.`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
