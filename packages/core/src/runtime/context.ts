import { headers as natsHeaders, type Msg, type MsgHdrs } from 'nats';
import { toMsgHdrs } from '../client/headers-init';
import type { DurableEmitOptions, EmitAck, EmitOptions, MeshClient } from '../client/mesh-client';
import type { RequestOptions } from '../client/request-options';
import { bindNew } from '../logging/app-logger';
import type { Logger } from '../logging/logger';
import { DEADLINE_HEADER, ERROR_CODE_HEADER, ERROR_HEADER, RETRY_AFTER_HEADER, TIMEOUT_HEADER } from './wire-headers';

/** What every context of one app shares; built once at start. */
export interface ContextHost {
  readonly instanceId: string;
  readonly client: MeshClient;
  readonly logger: Logger;
}

// Headers that describe this hop only and must not travel on with ctx.request.
const HOP_HEADERS = new Set([TIMEOUT_HEADER, DEADLINE_HEADER, RETRY_AFTER_HEADER, ERROR_HEADER, ERROR_CODE_HEADER]);

/**
 * What a handler knows about the message it handles. Created per message with plain fields;
 * the logger, the abort signal and propagated headers are built only when a handler asks.
 */
export class Context {
  private _log: Logger | undefined;
  private _signal: AbortSignal | undefined;

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

  /** Id of the app instance handling the message. */
  get instanceId(): string {
    return this.host.instanceId;
  }

  /** Milliseconds left until the deadline (0 once passed). */
  get remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** Aborted when the deadline passes; pass it to fetch, timers and database drivers. */
  get signal(): AbortSignal {
    return (this._signal ??= AbortSignal.timeout(this.remaining));
  }

  /** A logger bound to the service, endpoint and subject. */
  get log(): Logger {
    return (this._log ??= bindNew(this.host.logger, { service: this.service, endpoint: this.endpoint, subject: this.subject }));
  }

  /** Publishes an event; with `{ durable: true }` through JetStream, resolving once it is stored. */
  emit(subject: string, data: unknown, options: DurableEmitOptions): Promise<EmitAck>;
  emit(subject: string, data?: unknown, options?: EmitOptions): void;
  emit(subject: string, data?: unknown, options?: EmitOptions | DurableEmitOptions): void | Promise<EmitAck> {
    return this.host.client.emit(subject, data, options as DurableEmitOptions);
  }

  /**
   * Calls another endpoint within what is left of this request's deadline, passing the
   * incoming headers on.
   */
  request<T = unknown>(subject: string, data?: unknown, options: RequestOptions = {}): Promise<T> {
    const remaining = Math.max(1, this.remaining);
    const timeout = options.timeout === undefined ? remaining : Math.min(options.timeout, remaining);
    return this.host.client.request<T>(subject, data, { timeout, headers: this.forwardHeaders(options) });
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
