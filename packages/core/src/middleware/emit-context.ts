import type { MsgHdrs } from 'nats';
import { copyHeaders } from '../client/headers-init';
import type { MeshClient } from '../client/mesh-client';
import type { DurableEmitOptions, DurableEvent, EmitOptions } from '../client/durable-emit';
import type { Layer } from './compose';

/** The context of an outgoing event in the client's `emit` pipeline. Made only when the client has `emit` middleware. */
export class EmitContext {
  private _headers: MsgHdrs | undefined;
  private _state: Record<string, unknown> | undefined;
  /** @internal The emit's own `emit` middleware (`options.middleware`), as layers; undefined when none. */
  perEmit: Layer<EmitContext>[] | undefined;
  /** @internal The encoded payload of a plain event. */
  payload: Uint8Array | undefined;
  /** @internal A durable event, checked and encoded. */
  durableEvent: DurableEvent | undefined;

  constructor(
    /** The subject the event is published on. */
    readonly subject: string,
    /** The event data, as given. */
    readonly data: unknown,
    /** The emit's options as given (`{}` when none). */
    readonly options: Readonly<EmitOptions | DurableEmitOptions>,
    /** The client publishing it. */
    readonly client: MeshClient,
    private readonly given: MsgHdrs | undefined,
  ) {}

  /** True for `{ durable: true }`: stored by JetStream, `next()` resolves with the ack. */
  get durable(): boolean {
    return this.options.durable === true;
  }

  /** The headers that go out with the event; a copy of the caller's, made on first use, so a middleware may change them. */
  get headers(): MsgHdrs {
    return (this._headers ??= copyHeaders(this.given));
  }

  /** @internal The headers to send: the middleware's copy when one was made, else the caller's. */
  get headersIfAny(): MsgHdrs | undefined {
    return this._headers ?? this.given;
  }

  /** A place for middleware to pass values to the middleware inside it. */
  get state(): Record<string, unknown> {
    return (this._state ??= {});
  }
}
