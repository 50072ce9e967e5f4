import type { MsgHdrs } from 'nats';
import { copyHeaders } from '../client/headers-init';
import type { MeshClient } from '../client/mesh-client';
import type { RequestOptions } from '../client/request-options';
import type { Balancer, Target } from '../balancing/balancer';
import type { CallDecision, VersionTarget } from '../control/call-decision';
import type { Strategy } from '../balancing/strategy';
import type { RetryPolicy } from '../resilience/retry-policy';
import type { Layer } from './compose';

/**
 * The context of an outgoing request in the client's `call` pipeline. Made only when the
 * client has `call` middleware, policies, or the call has options that need them.
 */
export class CallContext {
  private _headers: MsgHdrs | undefined;
  private _state: Record<string, unknown> | undefined;
  /** @internal The call's `call` middleware (`options.middleware`), as layers; undefined when none. */
  perCall: Layer<CallContext>[] | undefined;
  /** @internal True when the built-in policies run inside the user's middleware, false for a plain send. */
  policied = false;
  /** @internal The call's strategy, the client's default when the call names none. */
  strategy: Strategy | undefined;
  /** @internal The balancer of a client-side strategy, once the strategy middleware waited for it. */
  balancer: Balancer | undefined;
  /** @internal The balancing key of the call (`key`, `hashKey`). */
  balanceKey: string | undefined;
  /** @internal The instance the balancer picked for this attempt; undefined: the queue subject. */
  target: Target | undefined;
  /** @internal The CLIENT span of the call (tracing on), for built-ins that add attributes to it. */
  traceSpan: unknown;
  /** @internal The call's retry policy, when it has one (its `attemptTimeout` bounds each attempt). */
  retry: RetryPolicy | undefined;
  /** @internal What the route and mirror rules say about the call's subject; undefined when no rule covers it. */
  decision: CallDecision | undefined;
  /** @internal The version a route rule sent the call to; the balancer picks among its instances. */
  version: VersionTarget | undefined;
  /** @internal The strategy the call had before a route rule chose its version: used when no instance of that version is known. */
  unrouted: Strategy | undefined;

  constructor(
    /** The subject called, as given to `client.request`. */
    readonly subject: string,
    /** The request data, as given (already encoded; changing it changes nothing). */
    readonly data: unknown,
    /** The call's options as given (`{}` when none). */
    readonly options: Readonly<RequestOptions>,
    /** Milliseconds the caller waits in all, retries included. */
    readonly timeout: number,
    /** Epoch ms at which the caller stops waiting. */
    readonly deadline: number,
    /** The client making the call. */
    readonly client: MeshClient,
    private readonly given: MsgHdrs | undefined,
    /** @internal The encoded payload. */
    readonly payload: Uint8Array,
  ) {}

  /** The headers that go out with the request; a copy of the caller's, made on first use, so a middleware may change them. */
  get headers(): MsgHdrs {
    return (this._headers ??= copyHeaders(this.given));
  }

  /** @internal The headers to send: the middleware's copy when one was made, else the caller's. */
  get headersIfAny(): MsgHdrs | undefined {
    return this._headers ?? this.given;
  }

  /** Milliseconds left until the deadline (0 once passed). */
  get remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** A place for middleware to pass values to the middleware inside it. */
  get state(): Record<string, unknown> {
    return (this._state ??= {});
  }
}
