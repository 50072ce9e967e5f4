import { headers as natsHeaders, type MsgHdrs } from 'nats';
import type { BalanceOptions, Strategy } from '../balancing/strategy';
import type { ClientResilienceOptions, RetryOptions } from '../resilience/resilience-options';
import { DEADLINE_HEADER, TIMEOUT_HEADER } from '../runtime/wire-headers';
import type { HeadersInit } from './headers-init';
import type { Middleware, MiddlewareRef } from '../middleware/middleware';

/** Options of one request. */
export interface RequestOptions extends BalanceOptions {
  /** Milliseconds to wait for the reply, retries included (1 … 2^31-1); default the client's timeout (5 s). */
  timeout?: number;
  headers?: HeadersInit;
  /** Retry policy of this call (`false`: no retries); default the endpoint's, or the client's for idempotent endpoints. */
  retry?: RetryOptions | false;
  /** Says the call is safe to repeat, so the client's default retry policy applies. */
  idempotent?: boolean;
  /**
   * Value to resolve with instead of failing on an availability error (status ≥ 500 or
   * `RATE_LIMITED`), after retries; a function is called with the error and may throw it.
   */
  fallback?: unknown;
  /** `call` middleware of this call alone, inside the client's (objects only: nothing builds classes per call). */
  middleware?: readonly Middleware[];
}

/** How a client behaves beyond its timeout: resilience defaults and load balancing. */
export interface ClientPolicyOptions {
  /** Retry, retry budget and circuit breaker defaults. */
  resilience?: ClientResilienceOptions;
  /** Default load-balancing strategy of every call (`queue`). */
  strategy?: Strategy;
  /** The caller's zone, for the `zone` strategy. */
  zone?: string;
  /** Client-wide middleware: their `call` and `emit` hooks wrap every request and emit of this client. */
  middleware?: readonly MiddlewareRef[];
}

/** True when a call's options ask for the policy path. */
export function wantsPolicy(options: RequestOptions): boolean {
  return options.retry !== undefined || options.fallback !== undefined || options.strategy !== undefined || options.idempotent === true;
}

/** The caller's timeout, relative and absolute: the server drops a request that arrives after the absolute one. */
export function withDeadline(hdrs: MsgHdrs | undefined, timeout: number): MsgHdrs {
  const h = hdrs ?? natsHeaders();
  h.set(TIMEOUT_HEADER, String(timeout));
  h.set(DEADLINE_HEADER, String(Date.now() + timeout));
  return h;
}

