import type { ErrorObject, ValidateFunction } from 'ajv';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import type { FieldError } from '../validation/dto-validator';
import { ruleKey, type CanaryRule, type FaultRule, type MeshRules, type MirrorRule, type RouteRule } from './rules-model';
import { MAX_CANARY_INTERVAL_MS, MAX_CANARY_STEPS, MAX_FAULT_DELAY_MS, RULE_KINDS, RULE_SCHEMAS, type RuleKind } from './rule-schemas';
import { faultCodeProblem } from './fault-code';

/** The rule type of each kind. */
export interface RuleOfKind {
  route: RouteRule;
  mirror: MirrorRule;
  fault: FaultRule;
  canary: CanaryRule;
}

/** One thing wrong with a rule: the field (dot path, e.g. `routes.1.weights`) and what to write instead. */
interface Problem {
  readonly field: string;
  readonly keyword: string;
  readonly message: string;
}

let validators: Map<RuleKind, ValidateFunction> | undefined;

// Loaded and compiled on first use: ajv takes about 30 ms to load, and a process without rules never needs it.
function validatorOf(kind: RuleKind): ValidateFunction {
  if (validators === undefined) {
    const { Ajv } = require('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
    validators = new Map(RULE_KINDS.map((k) => [k, ajv.compile(RULE_SCHEMAS[k])]));
  }
  return validators.get(kind)!;
}

/**
 * Checks one rule against its JSON Schema (unknown fields refused) and the rules a schema cannot
 * say: route weights sum to 100 and a route has `match` or `weights`; a fault has `delay` or
 * `abort`; canary steps increase and end at 100, and `from` differs from `to`.
 *
 * @returns the value, typed.
 * @throws MeshError `INVALID_RULE` whose message names each bad field and what to write, with a
 * `FieldError` per field in `details`; `INVALID_OPTIONS` for an unknown kind.
 */
export function checkRule<K extends RuleKind>(kind: K, value: unknown): RuleOfKind[K] {
  if (!RULE_KINDS.includes(kind)) throw new MeshError('INVALID_OPTIONS', `checkRule kind is ${describeValue(kind)}: use one of ${RULE_KINDS.join(', ')}.`);
  const problems = ruleProblems(kind, value, '');
  if (problems.length > 0) throw invalidRule(`Invalid ${kind} rule${nameOf(kind, value)}`, problems);
  return value as RuleOfKind[K];
}

/**
 * Checks a whole rule set (a mesh file, or what `admin.apply` writes): each rule as
 * {@link checkRule} does, no two rules with the same key, no field other than `routes`, `mirrors`,
 * `faults` and `canaries` (each optional, a list). Reports every problem at once.
 *
 * @returns the rules, with absent lists as empty ones.
 * @throws MeshError `INVALID_RULE` naming each bad field by its path (`routes.1.weights`).
 */
export function checkRules(value: unknown): MeshRules {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRule('Invalid rules', [{ field: '', keyword: 'type', message: `the rules are ${describeValue(value)}: use an object with routes, mirrors, faults and canaries lists` }]);
  }
  const problems: Problem[] = [];
  const lists = value as Record<string, unknown>;
  for (const key of Object.keys(lists)) {
    if (!RULE_KINDS.some((k) => listName(k) === key)) {
      problems.push({ field: key, keyword: 'additionalProperties', message: `unknown field "${key}": remove it (the lists are routes, mirrors, faults, canaries)` });
    }
  }
  const keys = new Map<string, string>();
  const result: Record<string, unknown[]> = {};
  for (const kind of RULE_KINDS) {
    const name = listName(kind);
    const list = lists[name] ?? [];
    if (!Array.isArray(list)) {
      problems.push({ field: name, keyword: 'type', message: `${name} is ${describeValue(list)}: use a list of ${kind} rules` });
      continue;
    }
    result[name] = list;
    list.forEach((rule, i) => {
      const own = ruleProblems(kind, rule, `${name}.${i}`);
      problems.push(...own);
      if (own.length > 0) return;
      const key = ruleKey(kind as 'route', rule as RouteRule);
      const first = keys.get(key);
      if (first !== undefined) problems.push({ field: `${name}.${i}`, keyword: 'unique', message: `${name}.${i} has the same key "${key}" as ${first}: keep one of them` });
      else keys.set(key, `${name}.${i}`);
    });
  }
  if (problems.length > 0) throw invalidRule('Invalid rules', problems);
  return result as unknown as MeshRules;
}

/** The list of a kind in {@link MeshRules}: `routes`, `mirrors`, … */
export function listName(kind: RuleKind): 'routes' | 'mirrors' | 'faults' | 'canaries' {
  return kind === 'canary' ? 'canaries' : `${kind}s`;
}

function ruleProblems(kind: RuleKind, value: unknown, prefix: string): Problem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ field: prefix, keyword: 'type', message: `${prefix === '' ? 'the rule' : prefix} is ${describeValue(value)}: use an object (a ${kind} rule)` }];
  }
  const validate = validatorOf(kind);
  if (!validate(value)) return (validate.errors ?? []).map((e) => fromAjv(kind, e, value, prefix));
  return semanticProblems(kind, value as RuleOfKind[RuleKind], prefix);
}

function semanticProblems(kind: RuleKind, rule: RuleOfKind[RuleKind], prefix: string): Problem[] {
  const at = (field: string) => (prefix === '' ? field : `${prefix}.${field}`);
  const problems: Problem[] = [];
  if (kind === 'route') {
    const r = rule as RouteRule;
    if (r.weights === undefined && (r.match === undefined || r.match.length === 0)) {
      problems.push({ field: at('weights'), keyword: 'required', message: `${at('weights')} is missing: a route needs weights (version → percent, summing to 100) or match rules` });
    }
    // A match with no condition would take every request: it needs headers or a caller.
    (r.match ?? []).forEach((m, i) => {
      if (m.headers === undefined && m.caller === undefined) problems.push(noCondition(at(`match.${i}`)));
    });
    if (r.weights !== undefined) {
      const sum = Object.values(r.weights).reduce((a, b) => a + b, 0);
      // Fractional weights (33.3 + 66.7) may not add up exactly in binary floating point.
      if (Math.abs(sum - 100) > 1e-9) {
        problems.push({ field: at('weights'), keyword: 'sum', message: `${at('weights')} sum to ${sum}, not 100: give the versions weights that add up to 100, e.g. { "1.2.0": 90, "2.0.0": 10 }` });
      }
    }
  } else if (kind === 'fault') {
    const f = rule as FaultRule;
    if (f.delay === undefined && f.abort === undefined) {
      problems.push({ field: at('delay'), keyword: 'required', message: `${prefix === '' ? 'the fault' : at('')} has neither delay nor abort: add delay: { ms, percent } or abort: { code, percent }` });
    }
    if (f.match !== undefined && f.match.headers === undefined && f.match.caller === undefined) problems.push(noCondition(at('match')));
    // The schema checks the code's shape; codes the metrics give another meaning (OK, OTHER, EXPIRED) are refused here.
    const codeProblem = f.abort === undefined ? undefined : faultCodeProblem(f.abort.code);
    if (codeProblem !== undefined) problems.push({ field: at('abort.code'), keyword: 'code', message: prefix === '' ? codeProblem : `${prefix}.${codeProblem}` });
  } else if (kind === 'canary') {
    const c = rule as CanaryRule;
    const steps = c.steps;
    if (steps.some((s, i) => i > 0 && s <= steps[i - 1]) || steps[steps.length - 1] !== 100) {
      problems.push({ field: at('steps'), keyword: 'steps', message: `${at('steps')} are [${steps.join(', ')}]: use increasing percentages that end at 100, e.g. [5, 25, 50, 100] (blue/green: [100])` });
    }
    if (c.from === c.to) problems.push({ field: at('to'), keyword: 'different', message: `${at('to')} is the same version as from ("${c.from}"): roll out to another version` });
  }
  return problems;
}

function noCondition(field: string): Problem {
  return { field, keyword: 'condition', message: `${field} has no condition, so it would take every request: give it headers (e.g. { "x-canary": "1" }) or a caller` };
}

const HINTS: Readonly<Record<string, string>> = {
  service: 'a service name such as "hotel.booking"',
  endpoint: 'an endpoint name such as "save"',
  name: 'letters, digits, "-" or "_"',
  version: 'a version such as "2.0.0"',
  from: 'a version such as "1.2.0"',
  to: 'a version such as "2.0.0"',
  percent: 'a percentage from 0 to 100',
  expiresAt: 'the time the fault ends, epoch ms, e.g. Date.now() + 600000',
  code: 'an error code such as "UNAVAILABLE"',
  ms: `a whole number of milliseconds, at most ${MAX_FAULT_DELAY_MS} (10 minutes)`,
  intervalMs: `a whole number of milliseconds, at most ${MAX_CANARY_INTERVAL_MS} (one day)`,
  headers: 'header name → exact value, e.g. { "x-canary": "1" }',
  caller: 'a service name such as "hotel.booking"',
  where: '"server" or "client"',
  steps: `increasing percentages ending at 100, at most ${MAX_CANARY_STEPS} of them, e.g. [5, 25, 50, 100]`,
  weights: 'version → percent, summing to 100, e.g. { "1.2.0": 90, "2.0.0": 10 }',
  maxErrorRatio: 'a ratio from 0 to 1, e.g. 0.01',
  maxP99Ratio: 'a multiple of the baseline p99 above 0, e.g. 1.5',
  minRequests: 'a whole number of requests',
};

function fromAjv(kind: RuleKind, e: ErrorObject, rule: unknown, prefix: string): Problem {
  const path = e.instancePath.split('/').slice(1);
  const join = (...parts: string[]) => [prefix, ...parts].filter((p) => p !== '').join('.');
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const field = join(...path, String(params.additionalProperty));
    const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
    const fix = allowed.length > 0 ? `the fields are ${allowed.join(', ')}` : 'the values must be numbers';
    return { field, keyword: e.keyword, message: `unknown field "${field}" in the ${kind} rule: remove it (${fix})` };
  }
  if (e.keyword === 'required') {
    const missing = String(params.missingProperty);
    const field = join(...path, missing);
    return { field, keyword: e.keyword, message: `${field} is missing: set it to ${HINTS[missing] ?? 'a value'}` };
  }
  const field = join(...path);
  const last = [...path].reverse().find((p) => !/^\d+$/.test(p)) ?? '';
  // A weight's key is a version: its limits are a percentage's.
  const hint = path[0] === 'weights' && path.length === 2 ? HINTS.percent : (HINTS[last] ?? e.message ?? 'a valid value');
  return { field, keyword: e.keyword, message: `${field} is ${describeValue(valueAt(rule, path))}: use ${hint}` };
}

function valueAt(rule: unknown, path: readonly string[]): unknown {
  let v: unknown = rule;
  for (const p of path) v = (v as Record<string, unknown> | undefined)?.[p];
  return v;
}

function nameOf(kind: RuleKind, value: unknown): string {
  const v = value as { name?: unknown; service?: unknown } | null;
  const name = kind === 'fault' ? v?.name : v?.service;
  return typeof name === 'string' ? ` "${name}"` : '';
}

function invalidRule(what: string, problems: readonly Problem[]): MeshError<FieldError[]> {
  const details = problems.map((p) => ({ field: p.field, constraints: { [p.keyword]: p.message } }));
  return new MeshError<FieldError[]>('INVALID_RULE', `${what}: ${problems.map((p) => p.message).join('; ')}.`, details);
}
