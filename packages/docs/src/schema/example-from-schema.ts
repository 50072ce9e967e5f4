import type { JsonSchema } from '@natsmesh/core';
import { resolveRef } from './resolve-ref';

const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  email: 'guest@example.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  'date-time': '2025-01-31T09:30:00.000Z',
  date: '2025-01-31',
  uri: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
};

/**
 * A JSON value that fits the schema, for docs: the first `examples` entry where there is one,
 * otherwise a value built from the type, format, enum and bounds. Always the same value for the same schema.
 *
 * @example
 * exampleFromSchema({ type: 'object', properties: { room: { type: 'integer', minimum: 1 } } }); // { room: 1 }
 */
export function exampleFromSchema(schema: JsonSchema, root: JsonSchema = schema): unknown {
  return example(schema, root, []);
}

function example(schema: JsonSchema, root: JsonSchema, refs: readonly string[]): unknown {
  if (schema.examples && schema.examples.length > 0) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.$ref !== undefined) {
    const target = resolveRef(schema.$ref, root);
    // A recursive type stops at its second occurrence.
    if (!target || refs.includes(schema.$ref)) return schema.type === 'array' ? [] : {};
    return example(target, root, [...refs, schema.$ref]);
  }
  const variant = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (variant) return example(variant, root, refs);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, example(v, root, refs)]));
    case 'array': {
      const item = schema.items ? example(schema.items, root, refs) : 'item';
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case 'integer':
      return Math.ceil(numberExample(schema));
    case 'number':
      return numberExample(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      return stringExample(schema);
    default:
      if (schema.properties) return example({ ...schema, type: 'object' }, root, refs);
      if (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern !== undefined || schema.format !== undefined) {
        return stringExample(schema);
      }
      if (schema.minimum !== undefined || schema.maximum !== undefined || schema.exclusiveMinimum !== undefined) return numberExample(schema);
      return 'any JSON value';
  }
}

function numberExample(s: JsonSchema): number {
  if (s.minimum !== undefined) return s.minimum;
  if (s.exclusiveMinimum !== undefined) return Math.floor(s.exclusiveMinimum) + 1;
  if (s.maximum !== undefined) return Math.min(0, s.maximum);
  if (s.exclusiveMaximum !== undefined) return Math.min(0, Math.ceil(s.exclusiveMaximum) - 1);
  return s.multipleOf ?? 0;
}

function stringExample(s: JsonSchema): string {
  if (s.format !== undefined && FORMAT_EXAMPLES[s.format] !== undefined) return FORMAT_EXAMPLES[s.format]!;
  const min = s.minLength ?? 0;
  let value = 'string';
  if (value.length < min) value = value.repeat(Math.ceil(min / value.length)).slice(0, min);
  if (s.maxLength !== undefined && value.length > s.maxLength) value = value.slice(0, Math.max(s.maxLength, min));
  return value;
}
