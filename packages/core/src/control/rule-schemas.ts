import type { JsonSchema } from '../schema/json-schema';

/** The kinds of rule the control plane stores, as they start their KV keys. */
export type RuleKind = 'route' | 'mirror' | 'fault' | 'canary';

/** Every rule kind, in the order a mesh file lists them. */
export const RULE_KINDS: readonly RuleKind[] = ['route', 'mirror', 'fault', 'canary'];

// Dot-separated tokens that are also valid KV key characters (nats.js: [-/=.\w]).
const SUBJECT_NAME = '^[-/=\\w]+(\\.[-/=\\w]+)*$';
const MAX_MS = 2 ** 31 - 1;
/** The longest injected delay, ms: 10 minutes (a caller's deadline ends it long before). */
export const MAX_FAULT_DELAY_MS = 600_000;
/** The longest canary interval, ms: one day. */
export const MAX_CANARY_INTERVAL_MS = 86_400_000;
/** The most steps a canary may have. */
export const MAX_CANARY_STEPS = 100;
// The last time a JavaScript Date can hold (epoch ms): a later expiresAt cannot even be printed.
const MAX_DATE_MS = 8.64e15;

const name: JsonSchema = { type: 'string', pattern: SUBJECT_NAME };
const version: JsonSchema = { type: 'string', minLength: 1, pattern: '^\\S+$' };
const percent: JsonSchema = { type: 'number', minimum: 0, maximum: 100 };
const headers: JsonSchema = { type: 'object', minProperties: 1, propertyNames: { pattern: '^[^\\s:]+$' }, additionalProperties: { type: 'string' } };
const caller: JsonSchema = { type: 'string', minLength: 1, pattern: '^\\S+$' };

/**
 * The JSON Schema (draft 2020-12 keywords that ajv 8 checks) of each rule kind; unknown fields
 * are refused (`additionalProperties: false`). What a schema cannot say (weights summing to 100,
 * increasing canary steps, a fault with delay or abort) is checked by `checkRule`.
 */
export const RULE_SCHEMAS: Readonly<Record<RuleKind, JsonSchema>> = {
  route: {
    type: 'object',
    additionalProperties: false,
    required: ['service'],
    properties: {
      service: name,
      match: {
        type: 'array',
        items: { type: 'object', additionalProperties: false, required: ['version'], properties: { headers, caller, version } },
      },
      weights: { type: 'object', minProperties: 1, propertyNames: { pattern: '^\\S+$' }, additionalProperties: percent },
    },
  },
  mirror: {
    type: 'object',
    additionalProperties: false,
    required: ['service', 'version', 'percent'],
    properties: { service: name, endpoint: name, version, percent, compare: { type: 'boolean' } },
  },
  fault: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'service', 'expiresAt'],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
      service: name,
      endpoint: name,
      version,
      match: { type: 'object', additionalProperties: false, properties: { headers, caller } },
      delay: {
        type: 'object',
        additionalProperties: false,
        required: ['ms', 'percent'],
        properties: { ms: { type: 'integer', minimum: 0, maximum: MAX_FAULT_DELAY_MS }, percent },
      },
      abort: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'percent'],
        properties: { code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' }, percent },
      },
      where: { enum: ['server', 'client'] },
      expiresAt: { type: 'integer', minimum: 1, maximum: MAX_DATE_MS },
    },
  },
  canary: {
    type: 'object',
    additionalProperties: false,
    required: ['service', 'from', 'to', 'steps', 'intervalMs', 'criteria'],
    properties: {
      service: name,
      from: version,
      to: version,
      steps: { type: 'array', minItems: 1, maxItems: MAX_CANARY_STEPS, items: { type: 'number', exclusiveMinimum: 0, maximum: 100 } },
      intervalMs: { type: 'integer', minimum: 1, maximum: MAX_CANARY_INTERVAL_MS },
      criteria: {
        type: 'object',
        additionalProperties: false,
        properties: {
          maxErrorRatio: { type: 'number', minimum: 0, maximum: 1 },
          maxP99Ratio: { type: 'number', exclusiveMinimum: 0 },
          minRequests: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
};
