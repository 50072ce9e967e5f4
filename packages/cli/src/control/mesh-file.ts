import { checkRules, MeshError, type FieldError, type MeshRules } from '@natsmesh/core';
import { formatDuration, parseDuration } from './duration';

/** The `apiVersion` of a mesh file. */
export const MESH_API_VERSION = 'natsmesh/v1';
/** The `kind` of a mesh file. */
export const MESH_KIND = 'Mesh';

// The longest canary interval a Node.js timer takes (2^31 - 1 ms, about 24.8 days).
const MAX_INTERVAL_MS = 2 ** 31 - 1;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A mesh file's content (`natsmesh get`, `natsmesh apply -f`): `apiVersion: natsmesh/v1`,
 * `kind: Mesh` and the lists of {@link MeshRules}, in the rule model's shapes except that times
 * and durations are written for people: a fault's `expiresAt` (epoch ms) is `expires` (an ISO
 * time, or in a file applied, a duration from now such as `10m`), a canary's `intervalMs` is
 * `interval` (`30s`, `1m30s`).
 */
export function meshFileOf(rules: MeshRules): Record<string, unknown> {
  return {
    apiVersion: MESH_API_VERSION,
    kind: MESH_KIND,
    routes: rules.routes,
    mirrors: rules.mirrors,
    faults: rules.faults.map((f) => renamed(f, 'expiresAt', 'expires', (ms) => new Date(ms as number).toISOString())),
    canaries: rules.canaries.map((c) => renamed(c, 'intervalMs', 'interval', (ms) => formatDuration(ms as number))),
  };
}

/**
 * The rules a mesh file's content holds, checked as `checkRules` checks them; a fault's
 * `expires` written as a duration counts from `now`.
 *
 * @throws MeshError `INVALID_RULE` naming each bad field by its path in the file (`routes.1.weights`),
 * with a `FieldError` per field in `details`.
 */
export function rulesOfMeshFile(value: unknown, now: number): MeshRules {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidFile([problem('', 'type', `the file holds ${Array.isArray(value) ? 'a list' : String(value)}: write a mapping with apiVersion: ${MESH_API_VERSION}, kind: ${MESH_KIND} and the lists routes, mirrors, faults, canaries`)]);
  }
  const { apiVersion, kind, ...lists } = value as Record<string, unknown>;
  const problems: FieldError[] = [];
  if (apiVersion !== MESH_API_VERSION) problems.push(problem('apiVersion', 'apiVersion', `apiVersion is ${shown(apiVersion)}: write apiVersion: ${MESH_API_VERSION}`));
  if (kind !== MESH_KIND) problems.push(problem('kind', 'kind', `kind is ${shown(kind)}: write kind: ${MESH_KIND}`));
  const rules: Record<string, unknown> = { ...lists };
  if (Array.isArray(lists.faults)) rules.faults = lists.faults.map((f, i) => fromFile(f, `faults.${i}`, 'expiresAt', 'expires', (v, at) => expiresAtOf(v, at, now), problems));
  if (Array.isArray(lists.canaries)) rules.canaries = lists.canaries.map((c, i) => fromFile(c, `canaries.${i}`, 'intervalMs', 'interval', intervalOf, problems));
  if (problems.length > 0) throw invalidFile(problems);
  try {
    return checkRules(rules);
  } catch (err) {
    if (MeshError.is(err) && err.code === 'INVALID_RULE') throw invalidFile(err.details as FieldError[]);
    throw err;
  }
}

type Convert = (value: unknown, at: string) => number | FieldError;

// A rule as the file writes it → as the model holds it: `field` (the file's) becomes `modelField`.
function fromFile(rule: unknown, at: string, modelField: string, field: string, convert: Convert, problems: FieldError[]): unknown {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return rule;
  const r = rule as Record<string, unknown>;
  if (modelField in r) {
    problems.push(problem(`${at}.${modelField}`, 'additionalProperties', `unknown field "${at}.${modelField}" in a mesh file: write ${field} instead (${field === 'expires' ? 'an ISO time, or a duration from now such as 10m' : 'a duration such as 30s'})`));
    return rule;
  }
  if (!(field in r)) {
    problems.push(problem(`${at}.${field}`, 'required', `${at}.${field} is missing: ${field === 'expires' ? 'write when the fault ends, as a duration from now such as 10m or an ISO time such as 2026-12-01T12:00:00Z' : 'write how long each step runs, such as 30s or 5m'}`));
    return rule;
  }
  const converted = convert(r[field], `${at}.${field}`);
  if (typeof converted !== 'number') {
    problems.push(converted);
    return rule;
  }
  return renamed(r, field, modelField, () => converted);
}

function expiresAtOf(value: unknown, at: string, now: number): number | FieldError {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'string') {
    const ms = parseDuration(value);
    if (ms !== undefined && ms > 0) return now + ms;
    if (ISO_TIME.test(value) && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  }
  return problem(at, 'expires', `${at} is ${shown(value)}: write a duration from now such as 10m, or an ISO time with its zone such as 2026-12-01T12:00:00Z`);
}

function intervalOf(value: unknown, at: string): number | FieldError {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms !== undefined && ms > 0 && ms <= MAX_INTERVAL_MS) return ms;
  return problem(at, 'interval', `${at} is ${shown(value)}: write a duration with its unit, from 1ms to 24d, such as 30s or 5m`);
}

// A copy of `obj` with `from` renamed to `to` in the same place, its value converted.
function renamed<T extends object>(obj: T, from: string, to: string, convert: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => (k === from ? [to, convert(v)] : [k, v])));
}

function problem(field: string, keyword: string, message: string): FieldError {
  return { field, constraints: { [keyword]: message } };
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'missing' : typeof value === 'object' && value !== null ? 'not a single value' : String(value);
}

function invalidFile(problems: readonly FieldError[]): MeshError<FieldError[]> {
  const messages = problems.flatMap((p) => Object.values(p.constraints));
  return new MeshError<FieldError[]>('INVALID_RULE', `Invalid mesh file: ${messages.join('; ')}.`, [...problems]);
}

