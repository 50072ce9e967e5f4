import type { JsonSchema, JsonSchemaType } from './json-schema';

/** Writes the JSON Schema keywords of one class-validator constraint into a schema. */
type Rule = (schema: JsonSchema, constraints: readonly unknown[]) => void;

/** Constraints that describe the array itself even when they are stacked on an array of items. */
export const ARRAY_CONSTRAINTS: ReadonlySet<string> = new Set(['isArray', 'arrayMinSize', 'arrayMaxSize', 'arrayNotEmpty', 'arrayUnique']);

/**
 * JSON Schema keywords for class-validator's built-in constraints, by constraint name.
 * Constraints missing here (custom validators, locale-dependent checks) add no keyword.
 */
export const CONSTRAINT_RULES: Readonly<Record<string, Rule>> = {
  isString: (s) => typed(s, 'string'),
  isNumber: (s) => typed(s, 'number'),
  isInt: (s) => typed(s, 'integer'),
  isBoolean: (s) => typed(s, 'boolean'),
  isObject: (s) => typed(s, 'object'),
  isArray: (s) => typed(s, 'array'),
  // Dates travel as ISO 8601 strings in JSON.
  isDate: (s) => formatted(s, 'date-time'),
  isDateString: (s) => formatted(s, 'date-time'),
  isIso8601: (s) => formatted(s, 'date-time'),
  isEmail: (s) => formatted(s, 'email'),
  isUuid: (s) => formatted(s, 'uuid'),
  isUrl: (s) => formatted(s, 'uri'),
  isFqdn: (s) => formatted(s, 'hostname'),
  isIp: (s, [version]) => (String(version) === '6' ? formatted(s, 'ipv6') : String(version) === '4' ? formatted(s, 'ipv4') : typed(s, 'string')),
  isEnum: (s, [, values]) => enumerated(s, values),
  isIn: (s, [values]) => enumerated(s, values),
  isNotIn: (s, [values]) => {
    if (Array.isArray(values)) s.not = { enum: unique(values) };
  },
  equals: (s, [value]) => {
    s.const = value;
  },
  min: (s, [n]) => number(n, (v) => (s.minimum = v)),
  max: (s, [n]) => number(n, (v) => (s.maximum = v)),
  isPositive: (s) => {
    s.exclusiveMinimum = 0;
  },
  isNegative: (s) => {
    s.exclusiveMaximum = 0;
  },
  isDivisibleBy: (s, [n]) => number(n, (v) => (s.multipleOf = v)),
  minLength: (s, [n]) => number(n, (v) => (s.minLength = v)),
  maxLength: (s, [n]) => number(n, (v) => (s.maxLength = v)),
  isLength: (s, [min, max]) => {
    number(min, (v) => (s.minLength = v));
    number(max, (v) => (s.maxLength = v));
  },
  // class-validator's isNotEmpty refuses '' (and null/undefined); minLength only constrains strings.
  isNotEmpty: (s) => {
    s.minLength = Math.max(s.minLength ?? 0, 1);
  },
  matches: (s, [pattern]) => {
    typed(s, 'string');
    if (pattern instanceof RegExp) s.pattern = pattern.source;
    else if (typeof pattern === 'string') s.pattern = pattern;
  },
  arrayMinSize: (s, [n]) => number(n, (v) => (s.minItems = v)),
  arrayMaxSize: (s, [n]) => number(n, (v) => (s.maxItems = v)),
  arrayNotEmpty: (s) => {
    s.minItems = Math.max(s.minItems ?? 0, 1);
  },
  arrayUnique: (s) => {
    s.uniqueItems = true;
  },
};

function typed(s: JsonSchema, type: JsonSchemaType): void {
  // isInt next to isNumber narrows the type; otherwise the first type constraint wins.
  if (s.type === undefined || (s.type === 'number' && type === 'integer')) s.type = type;
}

function formatted(s: JsonSchema, format: string): void {
  typed(s, 'string');
  s.format = format;
}

function number(value: unknown, set: (v: number) => void): void {
  if (typeof value === 'number' && Number.isFinite(value)) set(value);
}

function enumerated(s: JsonSchema, values: unknown): void {
  if (!Array.isArray(values)) return;
  const list = unique(values);
  s.enum = list;
  if (list.length > 0 && list.every((v) => typeof v === 'string')) typed(s, 'string');
  else if (list.length > 0 && list.every((v) => Number.isInteger(v))) typed(s, 'integer');
  else if (list.length > 0 && list.every((v) => typeof v === 'number')) typed(s, 'number');
}

function unique(values: readonly unknown[]): unknown[] {
  return [...new Set(values)];
}
