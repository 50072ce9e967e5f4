import type { MsgHdrs } from 'nats';
import { copyHeaders } from '../client/headers-init';
import type { MeshClient } from '../client/mesh-client';
import type { RequestOptions } from '../client/request-options';

/**
 * The context of an outgoing request in the client's `call` pipeline. Made only when the
 * client has `call` middleware, policies, or the call has options that need them.
 */
export class CallContext {
  private _headers: MsgHdrs | undefined;
  private _state: Record<string, unknown> | undefined;

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
