import type { FaultRule } from './rules-model';
import { faultCodeProblem } from './fault-code';
import { compileMatch, type MatchTest } from './request-match';

/** One fault rule, compiled once per change of the rules: shares as 0–1, the match as a test. */
export interface CompiledFault {
  readonly name: string;
  readonly rule: FaultRule;
  /** Undefined: every request matches. */
  readonly matches: MatchTest | undefined;
  /** Whether `matches` reads the caller (it is only looked up for such faults). */
  readonly byCaller: boolean;
  readonly delay: { readonly ms: number; readonly share: number } | undefined;
  readonly abort: { readonly code: string; readonly share: number } | undefined;
}

/** What an instance serves: the scope of its endpoint. */
export interface EndpointScope {
  readonly service: string;
  readonly endpoint: string;
  readonly version: string;
}

/**
 * The server-side faults (`where` absent or `'server'`) the serving instance of `scope` applies,
 * in name order; those expired by `now` or malformed (see {@link usableFault}) are left out.
 */
export function serverFaults(faults: readonly FaultRule[], scope: EndpointScope, now: number): CompiledFault[] {
  return usable(faults, now, 'server')
    .filter((f) => f.service === scope.service && (f.endpoint === undefined || f.endpoint === scope.endpoint) && (f.version === undefined || f.version === scope.version))
    .map((f) => compile(f, f.match));
}

/** The client-side faults for calls to one subject, by the version of the instance a call is routed to. */
export interface SubjectFaults {
  /** Faults without a version: every call to the subject. */
  readonly any: readonly CompiledFault[];
  /** Faults with a version: only calls sent to an instance of that version. */
  readonly byVersion: ReadonlyMap<string, readonly CompiledFault[]>;
}

/**
 * The client-side faults (`where: 'client'`) a client whose callers are `callers` applies to its
 * calls to `subject` (`<service>.<endpoint>`, or any subject under `<service>.` for a fault on the
 * whole service); undefined when none. A fault matching on another caller is left out here, once,
 * instead of being tested per call.
 */
export function clientFaults(faults: readonly FaultRule[], subject: string, callers: ReadonlySet<string>, now: number): SubjectFaults | undefined {
  const any: CompiledFault[] = [];
  const byVersion = new Map<string, CompiledFault[]>();
  for (const f of usable(faults, now, 'client')) {
    const covers = f.endpoint === undefined ? subject.startsWith(`${f.service}.`) : subject === `${f.service}.${f.endpoint}`;
    if (!covers) continue;
    if (f.match?.caller !== undefined && !callers.has(f.match.caller)) continue;
    const compiled = compile(f, f.match?.headers === undefined ? undefined : { headers: f.match.headers });
    if (f.version === undefined) any.push(compiled);
    else byVersion.set(f.version, [...(byVersion.get(f.version) ?? []), compiled]);
  }
  return any.length === 0 && byVersion.size === 0 ? undefined : { any, byVersion };
}

/**
 * True for a fault that can be applied: not expired, with a delay or an abort whose share is a
 * percentage and whose code is usable ({@link faultCodeProblem}). The store refuses others when
 * they are written; this keeps one that slipped into the bucket from failing every request.
 */
export function usableFault(f: FaultRule, now: number): boolean {
  if (!(f.expiresAt > now)) return false;
  const { delay, abort } = f;
  if (delay === undefined && abort === undefined) return false;
  if (delay !== undefined && !(isPercent(delay.percent) && delay.ms >= 0 && Number.isFinite(delay.ms))) return false;
  if (abort !== undefined && !(isPercent(abort.percent) && faultCodeProblem(abort.code) === undefined)) return false;
  return true;
}

function usable(faults: readonly FaultRule[], now: number, where: 'server' | 'client'): FaultRule[] {
  return faults
    .filter((f) => (f.where ?? 'server') === where && usableFault(f, now))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function compile(f: FaultRule, match: FaultRule['match']): CompiledFault {
  return {
    name: f.name,
    rule: f,
    matches: compileMatch(match),
    byCaller: match?.caller !== undefined,
    delay: f.delay === undefined || f.delay.percent === 0 ? undefined : { ms: f.delay.ms, share: f.delay.percent / 100 },
    abort: f.abort === undefined || f.abort.percent === 0 ? undefined : { code: f.abort.code, share: f.abort.percent / 100 },
  };
}

function isPercent(p: unknown): boolean {
  return typeof p === 'number' && p >= 0 && p <= 100;
}
