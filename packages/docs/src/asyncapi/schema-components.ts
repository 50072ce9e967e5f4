import type { JsonSchema } from '@natsmesh/core';
import { compare } from '../model/normalize-descriptions';

const PREFIX = '#/components/schemas/';

/**
 * Collects DTO schemas into AsyncAPI `components.schemas`. Each DTO schema carries its own
 * `$defs`; inside an AsyncAPI document `#/$defs/X` would point at the document's root, so every
 * definition moves to `components.schemas` and its `$ref`s are rewritten. Equal schemas of the
 * same name are kept once, compared with the definitions they reach (not every definition of
 * the DTO that nests them); a different schema with a taken name gets a numbered one.
 */
export class SchemaComponents {
  private readonly byName = new Map<string, { json: string; schema: JsonSchema }>();

  /** Adds a DTO schema (and its `$defs`) and returns the `$ref` to put in a message payload. */
  add(schema: JsonSchema, fallbackName: string): JsonSchema {
    const { $schema: _dialect, $defs, ...top } = schema;
    const defs = $defs ?? {};
    const names = new Map<string, string>();
    for (const name of Object.keys(defs).sort(compare)) {
      names.set(name, this.reserve(name, identity(defs[name]!, defs)));
    }
    const rootName = this.reserve(top.title ?? fallbackName, identity(top, defs));
    const rewrite = (s: JsonSchema): JsonSchema => rewriteRefs(s, (ref) => (ref === '#' ? PREFIX + rootName : PREFIX + (names.get(ref.slice('#/$defs/'.length)) ?? 'unknown')));
    for (const [local, global] of names) this.byName.get(global)!.schema = rewrite(defs[local]!);
    this.byName.get(rootName)!.schema = rewrite(top);
    return { $ref: PREFIX + rootName };
  }

  /** Adds a schema of natsmesh's own under exactly `name`; call before {@link add}. */
  put(name: string, schema: JsonSchema): void {
    this.byName.set(name, { json: JSON.stringify(schema), schema });
  }

  /** `components.schemas`, sorted by name. */
  toJSON(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.byName.keys()].sort(compare).map((k) => [k, this.byName.get(k)!.schema]));
  }

  private reserve(wanted: string, json: string): string {
    const base = wanted.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${base}_${n}`;
      const taken = this.byName.get(name);
      if (!taken) {
        this.byName.set(name, { json, schema: {} });
        return name;
      }
      if (taken.json === json) return name;
    }
  }
}

/** What makes two schemas one component: the schema and every definition it reaches, by name. */
function identity(schema: JsonSchema, defs: Readonly<Record<string, JsonSchema>>): string {
  const reached = new Map<string, JsonSchema | undefined>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
          const name = v.slice('#/$defs/'.length);
          if (!reached.has(name)) {
            reached.set(name, defs[name]);
            visit(defs[name]);
          }
        } else visit(v);
      }
    }
  };
  visit(schema);
  return JSON.stringify([schema, [...reached].sort(([a], [b]) => compare(a, b))]);
}

function rewriteRefs(schema: JsonSchema, to: (ref: string) => string): JsonSchema {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') out[k] = to(v);
    else if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, JsonSchema>).map(([p, s]) => [p, rewriteRefs(s, to)]));
    } else if ((k === 'items' || k === 'not' || k === 'additionalProperties') && v && typeof v === 'object') {
      out[k] = rewriteRefs(v as JsonSchema, to);
    } else if ((k === 'oneOf' || k === 'anyOf' || k === 'allOf') && Array.isArray(v)) {
      out[k] = (v as JsonSchema[]).map((s) => rewriteRefs(s, to));
    } else out[k] = v;
  }
  return out as JsonSchema;
}
