import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { classChain } from '../metadata/class-chain';
import type { Constructor } from '../metadata/options';
import { classTransformerStorage as transformerStorage, classValidator } from '../validation/lazy-modules';
import { ARRAY_CONSTRAINTS, CONSTRAINT_RULES } from './constraint-keywords';
import { metadataRegistry, type DtoDoc } from '../metadata/metadata-registry';
import { JSON_SCHEMA_DIALECT, orderJsonSchema, type JsonSchema } from './json-schema';

/** One DTO class being converted: its nested classes get one `$defs` entry each. */
interface Walk {
  readonly root: Constructor;
  readonly names: Map<Constructor, string>;
  readonly defs: Map<string, JsonSchema>;
}

/**
 * The JSON Schema (2020-12) of a DTO class, read from its class-validator constraints, its
 * class-transformer `@Type`s and its `@Describe` docs. Nested classes are written once to `$defs`
 * and referenced with `$ref`; properties keep their declaration order (base class first), other
 * keys a fixed order, so the same class always gives the same JSON.
 *
 * @example
 * toJsonSchema(SaveBooking);
 * // { $schema: '…/2020-12/schema', title: 'SaveBooking', type: 'object',
 * //   properties: { guest: { type: 'string', minLength: 1 }, … }, required: ['guest', …] }
 */
export function toJsonSchema(dto: Constructor): JsonSchema {
  const walk: Walk = { root: dto, names: new Map(), defs: new Map() };
  const schema: JsonSchema = { $schema: JSON_SCHEMA_DIALECT, ...objectSchema(dto, walk) };
  if (walk.defs.size > 0) schema.$defs = Object.fromEntries(walk.defs);
  return orderJsonSchema(schema);
}

function objectSchema(cls: Constructor, walk: Walk): JsonSchema {
  const schema: JsonSchema = { title: cls.name, ...docOf(classDoc(cls)), type: 'object' };
  const metas = classValidator().getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const name of propertyNames(cls, metas)) {
    const own = metas.filter((m) => m.propertyName === name);
    properties[name] = propertySchema(cls, name, own, walk);
    const optional = own.some((m) => m.type === 'conditionalValidation') && !own.some((m) => m.type === 'isDefined');
    if (!optional) required.push(name);
  }
  if (Object.keys(properties).length > 0) schema.properties = properties;
  if (required.length > 0) schema.required = required;
  return schema;
}

function propertySchema(cls: Constructor, name: string, metas: readonly ValidationMetadata[], walk: Walk): JsonSchema {
  const schema: JsonSchema = {};
  const items: JsonSchema = {};
  let isArray = false;
  // class-validator records a property's decorators bottom-up; apply them top-down as written.
  for (const m of [...metas].reverse()) {
    const rule = m.name === undefined ? undefined : CONSTRAINT_RULES[m.name];
    if (m.name !== undefined && ARRAY_CONSTRAINTS.has(m.name)) {
      isArray = true;
      rule?.(schema, m.constraints ?? []);
    } else if (m.each) {
      isArray = true;
      rule?.(items, m.constraints ?? []);
    } else {
      rule?.(schema, m.constraints ?? []);
    }
  }
  const nested = nestedSchema(cls, name, walk);
  if (nested) {
    if (isArray || metas.some((m) => m.type === 'nestedValidation' && m.each)) {
      isArray = true;
      Object.assign(items, nested);
    } else {
      delete schema.type;
      Object.assign(schema, nested);
    }
  }
  if (isArray) {
    schema.type = 'array';
    if (Object.keys(items).length > 0) schema.items = items;
  }
  return { ...schema, ...docOf(propertyDoc(cls, name)) };
}

/** The schema `@Type(() => X)` gives a property: a `$ref` for a class, a primitive type otherwise. */
function nestedSchema(cls: Constructor, name: string, walk: Walk): JsonSchema | undefined {
  const meta = transformerStorage().findTypeMetadata(cls, name);
  if (!meta) return undefined;
  const subTypes = meta.options?.discriminator?.subTypes;
  if (subTypes && subTypes.length > 0) {
    return { oneOf: subTypes.map((t) => refTo(t.value as Constructor, walk)) };
  }
  let type: unknown;
  try {
    type = meta.typeFunction({ newObject: {}, object: {}, property: name });
  } catch {
    // A type function that needs a real object to decide: nothing to say statically.
    return undefined;
  }
  if (type === String) return { type: 'string' };
  if (type === Number) return { type: 'number' };
  if (type === Boolean) return { type: 'boolean' };
  if (type === Date) return { type: 'string', format: 'date-time' };
  if (typeof type !== 'function' || type === Object || type === Array) return undefined;
  return refTo(type as Constructor, walk);
}

function refTo(cls: Constructor, walk: Walk): JsonSchema {
  if (cls === walk.root) return { $ref: '#' };
  let name = walk.names.get(cls);
  if (name === undefined) {
    name = cls.name || 'Anonymous';
    // Two nested classes of the same name: the second one seen gets a numbered entry.
    for (let n = 2; walk.defs.has(name); n++) name = `${cls.name || 'Anonymous'}_${n}`;
    walk.names.set(cls, name);
    walk.defs.set(name, {});
    walk.defs.set(name, objectSchema(cls, walk));
  }
  return { $ref: `#/$defs/${name}` };
}

/** Property names in declaration order, base classes first: validated, typed or documented ones. */
function propertyNames(cls: Constructor, metas: readonly ValidationMetadata[]): string[] {
  const names = new Set<string>();
  for (const c of classChain(cls)) {
    for (const m of metas) if (m.target === c) names.add(m.propertyName);
    for (const p of metadataRegistry.get(c)?.propertyDocs.keys() ?? []) names.add(p);
  }
  for (const m of metas) names.add(m.propertyName);
  return [...names];
}

function classDoc(cls: Constructor): DtoDoc | undefined {
  return metadataRegistry.get(cls)?.doc;
}

function propertyDoc(cls: Constructor, name: string): DtoDoc | undefined {
  let doc: DtoDoc | undefined;
  for (const c of classChain(cls)) doc = metadataRegistry.get(c)?.propertyDocs.get(name) ?? doc;
  return doc;
}

function docOf(doc: DtoDoc | undefined): JsonSchema {
  if (!doc) return {};
  const out: JsonSchema = { description: doc.description };
  if (doc.deprecated) out.deprecated = true;
  if (doc.example) out.examples = [doc.example.value];
  return out;
}

