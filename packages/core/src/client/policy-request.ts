import { headers as natsHeaders, type MsgHdrs } from 'nats';
import type { Balancer, Target } from '../balancing/balancer';
import type { BalanceOptions } from '../balancing/strategy';
import { MeshError } from '../errors/mesh-error';
import { toMeshError } from '../errors/to-mesh-error';
import { backoffDelay, type RetryPolicy } from '../resilience/retry-policy';
import { DEADLINE_HEADER, TIMEOUT_HEADER } from '../runtime/wire-headers';
import type { CallPolicies } from './call-policies';
import { beforeDeadline } from './before-deadline';
import { toMsgHdrs } from './headers-init';
import type { RequestOptions } from './request-options';

/** What the policy path needs of its client. */
export interface PolicyHost {
  readonly policies: CallPolicies | undefined;
  /** Sends one attempt (the plain request path). */
  send(subject: string, payload: Uint8Array, timeout: number, headers: MsgHdrs | undefined): Promise<unknown>;
  /** The balancer itself once started; a promise of it while the registry starts. */
  balancer(): Balancer | Promise<Balancer>;
}

/**
 * A request with a policy: load balancing, circuit breaker, retries within the call's
 * deadline and retry budget, fallback. Only calls that have one of these come here.
 */
export async function requestWithPolicy(
  host: PolicyHost,
  subject: string,
  data: unknown,
  payload: Uint8Array,
  timeout: number,
  options: RequestOptions | undefined,
): Promise<unknown> {
  const policies = host.policies;
  const retry = policies?.retryOf(subject, options) ?? undefined;
  const budget = retry === undefined ? undefined : policies?.budgetOf(subject);
  // The call's timeout bounds everything, the registry's first start included.
  const deadline = Date.now() + timeout;
  const strategy = options?.strategy;
  const balancer = strategy !== undefined && strategy !== 'queue' ? await balancerBy(host, subject, deadline, timeout) : undefined;
  const key = balancer === undefined ? undefined : keyOf(options!, data);
  const isOpen = policies?.hasBreakers() ? (s: string) => policies.existingBreaker(s)?.current === 'open' : undefined;
  const hdrs = options?.headers === undefined ? natsHeaders() : copy(toMsgHdrs(options.headers));
  budget?.first();
  for (let attempt = 1; ; attempt++) {
    let err: MeshError;
    try {
      const target = balancer?.pick(subject, strategy!, key, isOpen);
      return await attemptOnce(host, subject, target, balancer, payload, hdrs, deadline, retry);
    } catch (e) {
      err = toMeshError(e);
    }
    if (retry !== undefined && attempt < retry.attempts && retry.retryOn.has(err.code)) {
      const delay = backoffDelay(retry, attempt, err);
      if (Date.now() + delay < deadline - 1 && (budget === undefined || budget.tryRetry())) {
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
    }
    const fallback = options?.fallback;
    if (fallback !== undefined && (err.status >= 500 || err.code === 'RATE_LIMITED')) {
      return typeof fallback === 'function' ? (fallback as (e: MeshError) => unknown)(err) : fallback;
    }
    throw err;
  }
}

async function attemptOnce(
  host: PolicyHost,
  subject: string,
  target: Target | undefined,
  balancer: Balancer | undefined,
  payload: Uint8Array,
  hdrs: MsgHdrs,
  deadline: number,
  retry: RetryPolicy | undefined,
): Promise<unknown> {
  const now = Date.now();
  const remaining = Math.max(1, deadline - now);
  const timeout = retry?.attemptTimeout === undefined ? remaining : Math.max(1, Math.min(remaining, retry.attemptTimeout));
  // Every attempt states its own deadline, so a server drops an attempt the caller gave up on.
  hdrs.set(TIMEOUT_HEADER, String(timeout));
  hdrs.set(DEADLINE_HEADER, String(now + timeout));
  const to = target?.subject ?? subject;
  const wait = host.policies?.throttleOf(subject)?.take() ?? 0;
  if (wait > 0) {
    if (target) balancer!.done(target, false);
    throw new MeshError('RATE_LIMITED', `This client's rate limit for "${subject}" is used up: the call was not sent; retry in ${wait} ms.`, { subject, retryAfterMs: wait });
  }
  const breaker = host.policies?.breakerOf(to);
  if (breaker !== undefined && !breaker.allow()) {
    if (target) balancer!.done(target, false);
    throw new MeshError('CIRCUIT_OPEN', `The circuit of "${to}" is open after repeated failures: the call failed fast; it half-opens to probe soon.`, { subject: to });
  }
  let ok = false;
  try {
    const value = await host.send(to, payload, timeout, hdrs);
    ok = true;
    breaker?.success();
    return value;
  } catch (e) {
    const err = toMeshError(e);
    if (breaker !== undefined) {
      if (countsAsFailure(err)) breaker.failure();
      else breaker.success();
    }
    // The instance went away between the registry's view and this call: let the queue group pick.
    if (target !== undefined && err.code === 'NO_RESPONDERS') {
      balancer!.forget(target.instanceId);
      return host.send(subject, payload, Math.max(1, deadline - Date.now()), hdrs);
    }
    throw err;
  } finally {
    if (target) balancer!.done(target, ok);
  }
}

/** The balancer, waited for no longer than the call's deadline: the registry's first scatter-gather can take a second. */
function balancerBy(host: PolicyHost, subject: string, deadline: number, timeout: number): Balancer | Promise<Balancer> {
  const balancer = host.balancer();
  if (!(balancer instanceof Promise)) return balancer;
  return beforeDeadline(balancer, deadline, () => new MeshError(
    'TIMEOUT',
    `No reply on "${subject}" within ${timeout} ms: the registry was still gathering the mesh for the load-balancing strategy; raise the timeout of the first calls, or await client.waitFor(service) first.`,
  ));
}

/** Failures that say the service is unwell: server-side errors, not the caller's own mistakes nor a rate limit. */
function countsAsFailure(err: MeshError): boolean {
  return err.status >= 500 && err.code !== 'CIRCUIT_OPEN';
}

function keyOf(options: BalanceOptions, data: unknown): string | undefined {
  if (options.key !== undefined) return options.key;
  const source = options.hashKey;
  if (source === undefined) return undefined;
  if (typeof source === 'string') {
    const v = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[source] : undefined;
    return v === undefined || v === null ? undefined : String(v);
  }
  const h = (options as RequestOptions).headers;
  if (h === undefined) return undefined;
  const v = toMsgHdrs(h).get(source.header);
  return v === '' ? undefined : v;
}

// The caller's headers object is theirs: attempts set deadline headers on a copy.
function copy(h: MsgHdrs): MsgHdrs {
  const out = natsHeaders();
  for (const k of h.keys()) for (const v of h.values(k)) out.append(k, v);
  return out;
}
