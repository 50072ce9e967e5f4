import { TestingError } from './errors';

/**
 * Renders a plain object as nats-server config text (the JSON-like subset of its syntax):
 * `{ jetstream: { max_memory_store: 1048576 } }` becomes `{ "jetstream": { "max_memory_store": 1048576 } }`.
 * Keys whose value is `undefined` are left out, as in JSON.
 *
 * @throws TestingError `INVALID_CONFIG` for values the config syntax cannot hold (null, NaN, functions, cycles…).
 */
export function renderNatsConfig(config: Record<string, unknown>): string {
  if (!isPlainObject(config)) {
    throw new TestingError('INVALID_CONFIG', 'The nats-server config must be a plain object (or a string of config text).');
  }
  return `${renderValue(config, 'config', '', new Set())}\n`;
}

function renderValue(value: unknown, path: string, indent: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return String(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return renderNumber(value, path);
    case 'object':
      if (value === null) break;
      if (seen.has(value)) invalid(path, 'refers back to itself');
      seen.add(value);
      try {
        if (Array.isArray(value)) return renderArray(value, path, indent, seen);
        if (isPlainObject(value)) return renderObject(value, path, indent, seen);
      } finally {
        seen.delete(value);
      }
      break;
  }
  return invalid(path, `is ${describe(value)}; use a string, number, boolean, array or plain object`);
}

function renderObject(obj: Record<string, unknown>, path: string, indent: string, seen: Set<object>): string {
  const inner = `${indent}  `;
  const lines: string[] = [];
  for (const [key, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    lines.push(`${inner}${quote(key)}: ${renderValue(v, `${path}.${key}`, inner, seen)}`);
  }
  return lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n${indent}}`;
}

function renderArray(arr: readonly unknown[], path: string, indent: string, seen: Set<object>): string {
  const inner = `${indent}  `;
  const items = arr.map((v, i) => `${inner}${renderValue(v, `${path}[${i}]`, inner, seen)}`);
  return items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n${indent}]`;
}

function renderNumber(n: number, path: string): string {
  // The config lexer reads digits with an optional fraction; it has no exponent, NaN or Infinity.
  if (!Number.isFinite(n)) return invalid(path, `is ${n}`);
  const text = String(n);
  if (/e/i.test(text)) return invalid(path, `is ${text}, which nats-server cannot read; write it as a string such as "1GB" or an exact integer`);
  return text;
}

/** Quotes a string for the config lexer, which knows only the escapes \t \n \r \" \\ and \xHH. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return `a ${typeof value}`;
}

function invalid(path: string, problem: string): never {
  throw new TestingError('INVALID_CONFIG', `nats-server config value ${path} ${problem}.`);
}
