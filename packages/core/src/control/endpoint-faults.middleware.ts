import { setTimeout as sleep } from 'node:timers/promises';
import { CALLER_HEADER } from '../identity/signed-request';
import type { HandleContext, Middleware, Next } from '../middleware/middleware';
import { logSafely } from '../logging/log-safely';
import { NO_REPLY } from '../runtime/no-reply';
import { refusal } from '../runtime/refusal';
import { FAULT_HEADER } from '../runtime/wire-headers';
import { faultAbortError, faultHeaderValues } from './fault-abort';
import { countHit, drawFaults, faultNames, type CountFault, type FaultHit } from './fault-decision';
import type { CompiledFault } from './fault-plan';

/** The OpenTelemetry span attribute naming the faults injected into a request or call. */
export const FAULT_SPAN_ATTRIBUTE = 'natsmesh.fault';

/**
 * Built-in `handle` middleware of an endpoint while server-side faults apply to it (swapped in and
 * out as the rules change; an endpoint without faults has no such layer). It sits after the
 * deadline drop, rate limit, bulkhead and caller identity, before the user's middleware: it
 * plays a slow or failing handler. A request it delays waits, then goes on (or is dropped when
 * its caller's deadline passed meanwhile); one it aborts gets the fault's code as an error reply.
 * Each is marked: `Mesh-Fault` reply header, `natsmesh.fault` span attribute, `fault` field on
 * the request's log lines, `natsmesh_faults_injected_total`.
 */
export class EndpointFaults implements Middleware {
  readonly name = 'faults';
  private readonly byCaller: boolean;

  constructor(
    readonly faults: readonly CompiledFault[],
    private readonly count: CountFault | undefined,
    private readonly random: () => number = Math.random,
  ) {
    this.byCaller = faults.some((f) => f.byCaller);
  }

  handle(ctx: HandleContext, next: Next): unknown {
    const hit = drawFaults(this.faults, ctx.headers, this.byCaller ? callerOf(ctx) : undefined, this.random);
    if (hit === undefined) return next();
    mark(ctx, hit, this.count);
    if (hit.delayMs === 0) return afterDelay(ctx, hit, next);
    return sleep(Math.min(hit.delayMs, ctx.remaining)).then(() => (ctx.deadline <= Date.now() ? NO_REPLY : afterDelay(ctx, hit, next)));
  }
}

// The signed caller when identity is on, else the one the request claims: scoping a fault is no security decision.
function callerOf(ctx: HandleContext): string | undefined {
  return ctx.caller ?? (ctx.headers?.get(CALLER_HEADER) || undefined);
}

function mark(ctx: HandleContext, hit: FaultHit, count: CountFault | undefined): void {
  const names = faultNames(hit);
  ctx.fault = names;
  countHit(count, hit);
  (ctx.traceSpan as { setAttribute(k: string, v: string): void } | undefined)?.setAttribute(FAULT_SPAN_ATTRIBUTE, names);
  for (const value of faultHeaderValues(hit)) ctx.replyHeaders.append(FAULT_HEADER, value);
  if (hit.delayMs > 0) logSafely(() => ctx.log.debug({ delayMs: hit.delayMs }, 'fault injected: request delayed'));
}

function afterDelay(ctx: HandleContext, hit: FaultHit, next: Next): unknown {
  const abort = hit.abort;
  if (abort === undefined) return next();
  const err = faultAbortError(abort, ctx.subject);
  // One line per aborted request, in place of the route's "request failed": an injected failure is no real one.
  logSafely(() => ctx.log.warn({ code: err.code }, 'fault injected: request aborted'));
  throw refusal(err);
}
