import type { JsonSchema } from '@natsmesh/core';
import { refName, resolveRef } from './resolve-ref';

/** One field of a DTO, flattened for a table: nested objects appear as `address.street`, arrays as `rooms[].number`. */
export interface SchemaRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly constraints: readonly string[];
  readonly description: string | undefined;
}

/** The fields of an object schema, nested objects expanded once (recursive types are not expanded again). */
export function schemaRows(schema: JsonSchema, root: JsonSchema = schema): SchemaRow[] {
  return rowsOf(schema, root, '', [schema.$ref ?? '#']);
}

function rowsOf(schema: JsonSchema, root: JsonSchema, prefix: string, seen: readonly string[]): SchemaRow[] {
  const target = schema.$ref !== undefined ? resolveRef(schema.$ref, root) : schema;
  if (!target?.properties) return [];
  const required = new Set(target.required ?? []);
  return Object.entries(target.properties).flatMap(([name, prop]) => {
    const path = `${prefix}${name}`;
    const row: SchemaRow = {
      path,
      type: typeLabel(prop, root),
      required: required.has(name),
      constraints: constraintsOf(prop),
      description: prop.description ?? (prop.$ref !== undefined ? resolveRef(prop.$ref, root)?.description : undefined),
    };
    const nested = prop.type === 'array' && prop.items ? prop.items : prop;
    const ref = nested.$ref;
    const deeper =
      ref !== undefined && !seen.includes(ref)
        ? rowsOf(nested, root, `${path}${nested === prop ? '' : '[]'}.`, [...seen, ref])
        : nested.properties
          ? rowsOf(nested, root, `${path}${nested === prop ? '' : '[]'}.`, seen)
          : [];
    return [row, ...deeper];
  });
}

/** A short type name for docs: `string (email)`, `integer`, `Address[]`, `Cat | Dog`, `any`. */
export function typeLabel(schema: JsonSchema, root: JsonSchema): string {
  if (schema.$ref !== undefined) return refName(schema.$ref, root);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.map((v) => typeLabel(v, root)).join(' | ');
  if (schema.type === 'array') return schema.items ? `${typeLabel(schema.items, root)}[]` : 'array';
  if (schema.type !== undefined) return schema.format !== undefined ? `${schema.type} (${schema.format})` : schema.type;
  if (schema.format !== undefined) return `string (${schema.format})`;
  if ('const' in schema) return typeof schema.const;
  return 'any';
}

/** The constraints of one field in words: `1 ≤ value ≤ 30`, `not empty`, `one of "EUR", "USD"`. */
export function constraintsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.enum) out.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if ('const' in s) out.push(`equals ${JSON.stringify(s.const)}`);
  if (s.not?.enum) out.push(`not ${s.not.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  const low = s.minimum !== undefined ? `${s.minimum} ≤` : s.exclusiveMinimum !== undefined ? `${s.exclusiveMinimum} <` : '';
  const high = s.maximum !== undefined ? `≤ ${s.maximum}` : s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : '';
  if (low && high) out.push(`${low} value ${high}`);
  else if (low) out.push(s.minimum !== undefined ? `≥ ${s.minimum}` : `> ${s.exclusiveMinimum}`);
  else if (high) out.push(high);
  if (s.multipleOf !== undefined) out.push(`multiple of ${s.multipleOf}`);
  if (s.minLength === 1 && s.maxLength === undefined) out.push('not empty');
  else if (s.minLength !== undefined && s.maxLength !== undefined) out.push(`length ${s.minLength}–${s.maxLength}`);
  else if (s.minLength !== undefined) out.push(`length ≥ ${s.minLength}`);
  else if (s.maxLength !== undefined) out.push(`length ≤ ${s.maxLength}`);
  if (s.pattern !== undefined) out.push(`matches /${s.pattern}/`);
  if (s.minItems !== undefined && s.maxItems !== undefined) out.push(`${s.minItems}–${s.maxItems} items`);
  else if (s.minItems !== undefined) out.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  else if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.uniqueItems) out.push('unique items');
  if (s.items && s.type === 'array') out.push(...constraintsOf(s.items).map((c) => `each: ${c}`));
  if (s.deprecated) out.push('deprecated');
  return out;
}
