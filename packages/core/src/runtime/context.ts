import { headers as natsHeaders, type Msg, type MsgHdrs } from 'nats';
import { toMsgHdrs } from '../client/headers-init';
import type { DurableEmitOptions, EmitAck, EmitOptions, MeshClient } from '../client/mesh-client';
import type { RequestOptions } from '../client/request-options';
import { MeshError } from '../errors/mesh-error';
import { bindNew } from '../logging/app-logger';
import type { Logger } from '../logging/logger';
import { MAX_TIMER_MS } from '../options/check-millis';
import { TRACE_PARENT } from '../tracing/trace-parent';
import { CALLER_HEADER, SIGNATURE_HEADER } from '../identity/signed-request';
import { CALLER_OPTION } from '../control/caller-option';
import { DEADLINE_HEADER, ERROR_CODE_HEADER, ERROR_HEADER, RETRY_AFTER_HEADER, TIMEOUT_HEADER } from './wire-headers';

/** What every context of one app shares; built once at start. */
export interface ContextHost {
  readonly instanceId: string;
  readonly client: MeshClient;
  readonly logger: Logger;
}

// Headers that describe this hop only and must not travel on with ctx.request (a caller's
// signature covers this hop's subject and body: passed on, it would only be refused downstream).
const HOP_HEADERS = new Set([TIMEOUT_HEADER, DEADLINE_HEADER, RETRY_AFTER_HEADER, ERROR_HEADER, ERROR_CODE_HEADER, CALLER_HEADER, SIGNATURE_HEADER]);

/**
 * What a handler knows about the message it handles. Created per message with plain fields;
 * the logger, the abort signal and propagated headers are built only when a handler asks.
 */
export class Context {
  private _log: Logger | undefined;
  private _signal: AbortSignal | undefined;
  private _state: Record<string, unknown> | undefined;
  /** @internal The OpenTelemetry context of this message's span (tracing on): the parent of what `request` and `emit` send. */
  traceContext: unknown;
  /** @internal Set by the caller-identity middleware once the request's signature checked out. */
  verifiedCaller: string | undefined;
  private _fault: string | undefined;
  /** @internal `trace_id` and `span_id` of this message's span (tracing on), on every line of {@link log} and of the route about it. */
  traceFields: { readonly trace_id: string; readonly span_id: string } | undefined;

  constructor(
    /** The subject the message arrived on. */
    readonly subject: string,
    /** The service that handles it. */
    readonly service: string,
    /** The endpoint name, or the method name of an event handler. */
    readonly endpoint: string,
    /** Epoch ms by which the caller stops waiting. */
    readonly deadline: number,
    private readonly msg: Pick<Msg, 'headers'>,
    private readonly host: ContextHost,
  ) {}

  /** The message headers, undefined when it had none. */
  get headers(): MsgHdrs | undefined {
    return this.msg.headers;
  }

  /**
   * The calling service (or caller role), as proven by its signature: set only on a request to an
   * app with signed identity on (`createApp({ identity: { trust } })`), which refuses unsigned and
   * badly signed requests with `UNAUTHORIZED`. Undefined otherwise, and on events: natsmesh does
   * not repeat an unchecked claim (any publisher can set any header).
   */
  get caller(): string | undefined {
    return this.verifiedCaller;
  }

  /** Id of the app instance handling the message. */
  get instanceId(): string {
    return this.host.instanceId;
  }

  /** Milliseconds left until the deadline (0 once passed). */
  get remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** Aborted when the deadline passes (already aborted when read after it); pass it to fetch, timers and database drivers. */
  get signal(): AbortSignal {
    if (this._signal !== undefined) return this._signal;
    const remaining = this.remaining;
    // AbortSignal.timeout(0) only aborts on a later tick: a handler that reads the signal after its deadline must see it aborted.
    // A timer holds at most 2^31-1 ms (a durable handler's ackWait, say, could be longer): capped, never aborted at once.
    if (remaining > 0) return (this._signal = AbortSignal.timeout(remaining < MAX_TIMER_MS ? remaining : MAX_TIMER_MS));
    return (this._signal = AbortSignal.abort(new DOMException('The deadline of the request passed.', 'TimeoutError')));
  }

  /** A place for middleware to leave values for the middleware inside it and the handler (the caller's identity, say); made on first use. */
  get state(): Record<string, unknown> {
    return (this._state ??= {});
  }

  /**
   * A logger bound to the service, endpoint and subject (and the app's `instanceId`); with tracing
   * on, also to `trace_id` and `span_id` of this message's span. Made on first read.
   */
  get log(): Logger {
    return (this._log ??= bindNew(this.host.logger, {
      service: this.service,
      endpoint: this.endpoint,
      subject: this.subject,
      ...this.traceFields,
      ...(this._fault === undefined ? undefined : { fault: this._fault }),
    }));
  }

  /** @internal The names of the faults injected into this request: the `fault` field of every line of {@link log} from then on. */
  get fault(): string | undefined {
    return this._fault;
  }

  set fault(names: string | undefined) {
    this._fault = names;
    this._log = undefined;
  }

  /** Publishes an event; with `{ durable: true }` through JetStream, resolving once it is stored. */
  emit(subject: string, data: unknown, options: DurableEmitOptions): Promise<EmitAck>;
  emit(subject: string, data?: unknown, options?: EmitOptions): void;
  emit(subject: string, data?: unknown, options?: EmitOptions | DurableEmitOptions): void | Promise<EmitAck> {
    // A durable emit waits for the stream's ack: no longer than this message's deadline.
    if (options?.durable === true) options = { ...options, timeout: this.within(options.timeout) };
    // With tracing on, the event is a child of this message's span, with or without a context manager.
    if (this.traceContext !== undefined) options = { ...options, [TRACE_PARENT]: this.traceContext } as unknown as EmitOptions;
    return this.host.client.emit(subject, data, options as DurableEmitOptions);
  }

  /**
   * `client.request` within what is left of this request's deadline, passing the incoming
   * headers on; every other option (retry, fallback, strategy, key…) is the caller's, as given.
   *
   * @throws MeshError as `client.request` does; `TIMEOUT` at once when the deadline has passed. It never throws: it rejects.
   */
  request<T = unknown>(subject: string, data?: unknown, options?: RequestOptions): Promise<T> {
    options ??= {};
    if (this.deadline <= Date.now()) {
      return Promise.reject(new MeshError('TIMEOUT', `"${subject}" was not called: the deadline of the request on "${this.subject}" had passed.`));
    }
    let headers: MsgHdrs | undefined;
    try {
      headers = this.forwardHeaders(options);
    } catch (err) {
      return Promise.reject(err);
    }
    // The handler's service is the caller that route rules match on.
    const given: RequestOptions = { ...options, timeout: this.within(options.timeout), headers, [CALLER_OPTION]: this.service } as RequestOptions;
    if (this.traceContext !== undefined) (given as Record<symbol, unknown>)[TRACE_PARENT] = this.traceContext;
    return this.host.client.request<T>(subject, data, given);
  }

  // The caller's own timeout when shorter than what is left (left as given, so a bad one is reported).
  private within(timeout: number | undefined): number {
    const remaining = Math.max(1, this.remaining);
    return timeout === undefined || timeout >= remaining ? remaining : timeout;
  }

  private forwardHeaders(options: RequestOptions): MsgHdrs | undefined {
    const incoming = this.msg.headers;
    if (incoming === undefined) return options.headers === undefined ? undefined : toMsgHdrs(options.headers);
    const out = natsHeaders();
    for (const key of incoming.keys()) {
      if (!HOP_HEADERS.has(key)) for (const v of incoming.values(key)) out.append(key, v);
    }
    if (options.headers !== undefined) {
      const extra = toMsgHdrs(options.headers);
      for (const key of extra.keys()) out.set(key, extra.get(key));
    }
    return out;
  }
}
