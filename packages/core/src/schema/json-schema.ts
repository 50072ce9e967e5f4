/** The JSON Schema dialect {@link toJsonSchema} writes. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** A JSON type name. */
export type JsonSchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * A JSON Schema (2020-12) as plain JSON data: the keywords natsmesh writes for DTO classes.
 * `$ref`s point into the schema's own `$defs` (`#/$defs/Name`), `#` is the schema itself.
 */
export interface JsonSchema {
  $schema?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonSchemaType;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  minProperties?: number;
  maxProperties?: number;
  not?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  deprecated?: boolean;
  examples?: unknown[];
  $defs?: Record<string, JsonSchema>;
}

// Keywords in the order they are written; `properties` keeps declaration order, `$defs` is sorted.
const KEY_ORDER: readonly string[] = [
  '$schema', '$ref', 'title', 'description', 'type', 'format', 'enum', 'const', 'pattern', 'minLength', 'maxLength',
  'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'multipleOf', 'items', 'minItems', 'maxItems',
  'uniqueItems', 'properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties', 'not', 'oneOf', 'anyOf', 'allOf', 'deprecated',
  'examples', '$defs',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

/**
 * The same schema with its keywords in natsmesh's fixed order (unknown keywords last, sorted),
 * `$defs` sorted by name and every nested schema ordered too: equal schemas serialise to equal bytes.
 */
export function orderJsonSchema(schema: JsonSchema): JsonSchema {
  const src = schema as Record<string, unknown>;
  const keys = Object.keys(src).filter((k) => src[k] !== undefined);
  keys.sort((a, b) => (RANK.get(a) ?? KEY_ORDER.length) - (RANK.get(b) ?? KEY_ORDER.length) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = src[k];
    if (k === 'properties') out[k] = mapValues(v as Record<string, JsonSchema>, false);
    else if (k === '$defs') out[k] = mapValues(v as Record<string, JsonSchema>, true);
    else if (k === 'items' || k === 'not' || (k === 'additionalProperties' && typeof v === 'object')) out[k] = orderJsonSchema(v as JsonSchema);
    else if (k === 'oneOf' || k === 'anyOf' || k === 'allOf') out[k] = (v as JsonSchema[]).map(orderJsonSchema);
    else out[k] = v;
  }
  return out as JsonSchema;
}

function mapValues(record: Record<string, JsonSchema>, sort: boolean): Record<string, JsonSchema> {
  const names = Object.keys(record);
  if (sort) names.sort();
  const out: Record<string, JsonSchema> = {};
  for (const n of names) out[n] = orderJsonSchema(record[n]!);
  return out;
}
