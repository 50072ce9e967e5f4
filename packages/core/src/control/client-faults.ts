import { setTimeout as sleep } from 'node:timers/promises';
import type { MsgHdrs } from 'nats';
import { DIRECT_PREFIX } from '../discovery/discovery-subjects';
import { MeshError } from '../errors/mesh-error';
import type { Send } from '../client/policies/send-step';
import { logSafely } from '../logging/log-safely';
import type { Logger } from '../logging/logger';
import type { CallContext } from '../middleware/call-context';
import type { ClientFaultPlan } from './client-fault-plan';
import { faultAbortError } from './fault-abort';
import { countHit, drawFaults, faultNames, type CountFault, type FaultHit } from './fault-decision';
import type { CompiledFault } from './fault-plan';
import { FAULT_SPAN_ATTRIBUTE } from './endpoint-faults.middleware';

/** What a client's faulted send needs of its client. */
export interface ClientFaultHost {
  readonly plan: ClientFaultPlan;
  /** The client's send without faults. */
  readonly send: Send;
  /** The version of `service` on the instance `instanceId`, from the registry; undefined when unknown. */
  versionOf(instanceId: string, subject: string): string | undefined;
  /** Counts into `natsmesh_client_faults_injected_total` for calls to `subject`; undefined when metrics are off. */
  counter(subject: string): CountFault | undefined;
  /** The app's logger for `app.client`; undefined for `createClient` (no logger). */
  readonly log: Logger | undefined;
  readonly random?: () => number;
}

/**
 * The send of a client while client-side faults are in force: before each attempt goes out, the
 * faults covering its subject (and, for an attempt addressed to one instance, that instance's
 * version) are drawn; a delay waits (an attempt whose delay outlasts its timeout fails with
 * `TIMEOUT` then), an abort rejects with the fault's code without sending. Retries, fallback and
 * the breaker see these like any failure: that is what client-side faults are for.
 */
export function faultedSend(host: ClientFaultHost): Send {
  const random = host.random ?? Math.random;
  return (subject, payload, timeout, headers, ctx) => {
    let called = subject;
    let instanceId: string | undefined;
    if (subject.startsWith(DIRECT_PREFIX) && subject.charCodeAt(DIRECT_PREFIX.length) === 46) {
      const dot = subject.indexOf('.', DIRECT_PREFIX.length + 1);
      instanceId = subject.slice(DIRECT_PREFIX.length + 1, dot);
      called = subject.slice(dot + 1);
    }
    const covering = host.plan.of(called);
    if (covering === undefined) return host.send(subject, payload, timeout, headers, ctx);
    let faults: readonly CompiledFault[] = covering.any;
    if (covering.byVersion.size > 0 && instanceId !== undefined) {
      const version = host.versionOf(instanceId, called);
      const more = version === undefined ? undefined : covering.byVersion.get(version);
      if (more !== undefined) faults = [...faults, ...more];
    }
    const hit = drawFaults(faults, headers, undefined, random);
    if (hit === undefined) return host.send(subject, payload, timeout, headers, ctx);
    mark(host, called, hit, ctx);
    if (hit.delayMs === 0) return afterDelay(host, subject, called, payload, timeout, headers, ctx, hit);
    if (hit.delayMs >= timeout) return sleep(timeout).then(() => Promise.reject(delayedPastTimeout(called, timeout, hit)));
    return sleep(hit.delayMs).then(() => afterDelay(host, subject, called, payload, timeout - hit.delayMs, headers, ctx, hit));
  };
}

function mark(host: ClientFaultHost, called: string, hit: FaultHit, ctx: CallContext | undefined): void {
  countHit(host.counter(called), hit);
  (ctx?.traceSpan as { setAttribute(k: string, v: string): void } | undefined)?.setAttribute(FAULT_SPAN_ATTRIBUTE, faultNames(hit));
  const log = host.log;
  if (log !== undefined && hit.delayMs > 0) logSafely(() => log.debug({ fault: faultNames(hit), subject: called, delayMs: hit.delayMs }, 'client-side fault injected: call delayed'));
}

function afterDelay(
  host: ClientFaultHost,
  subject: string,
  called: string,
  payload: Uint8Array,
  timeout: number,
  headers: MsgHdrs | undefined,
  ctx: CallContext | undefined,
  hit: FaultHit,
): Promise<unknown> {
  const abort = hit.abort;
  if (abort === undefined) return host.send(subject, payload, timeout, headers, ctx);
  const err = faultAbortError(abort, called);
  const log = host.log;
  if (log !== undefined) logSafely(() => log.debug({ fault: abort.name, subject: called, code: err.code }, 'client-side fault injected: call aborted'));
  return Promise.reject(err);
}

function delayedPastTimeout(subject: string, timeout: number, hit: FaultHit): MeshError {
  return new MeshError(
    'TIMEOUT',
    `No reply from "${subject}" within ${timeout} ms: fault "${faultNames(hit)}" of the control plane delayed the call by ${hit.delayMs} ms on purpose, longer than its timeout. Delete the fault or let it expire.`,
    { fault: faultNames(hit) },
  );
}
