import { headers as natsHeaders, type Msg, type MsgHdrs } from 'nats';
import { Context, type ContextHost } from '../runtime/context';
import { decodePayload } from '../runtime/decode-input';

/** Which server pipeline a {@link MessageContext} runs in. */
export type MessageKind = 'handle' | 'event';

/**
 * The context of a message on its way through the server's `handle` or `event` pipeline: the
 * handler's {@link Context} (the handler gets this same object), plus the input as the
 * middleware sees it and the headers of the reply. Made only for routes that have middleware.
 */
export class MessageContext extends Context {
  private _input: unknown;
  private decoded = false;
  private _replyHeaders: MsgHdrs | undefined;
  /** @internal The OpenTelemetry span of this message (tracing on), for built-ins that add attributes to it. */
  traceSpan: unknown;
  /** @internal True once decoding or validating the input failed (a durable event then goes to the dead letters at once). */
  badInput = false;

  constructor(
    subject: string,
    service: string,
    endpoint: string,
    deadline: number,
    private readonly message: Pick<Msg, 'headers' | 'data' | 'subject'>,
    host: ContextHost,
    /** `handle` for a request, `event` for an event delivery. */
    readonly kind: MessageKind,
    private readonly maxPayload: number | undefined,
  ) {
    super(subject, service, endpoint, deadline, message, host);
  }

  /**
   * The decoded JSON payload, before DTO validation (validation runs last, just before the
   * handler, on what this holds then). Decoded on first read; a middleware may replace it.
   *
   * @throws MeshError `PAYLOAD_TOO_LARGE` or `BAD_REQUEST` on first read of a payload that cannot be decoded.
   */
  get input(): unknown {
    if (!this.decoded) {
      try {
        this._input = decodePayload(this.message.data, this.maxPayload);
      } catch (err) {
        this.badInput = true;
        throw err;
      }
      this.decoded = true;
    }
    return this._input;
  }

  set input(value: unknown) {
    this._input = value;
    this.decoded = true;
  }

  /** The raw payload bytes as received. */
  get data(): Uint8Array {
    return this.message.data;
  }

  /** @internal The subject the message was published on: an instance-addressed one (`$NATSMESH.I.<id>.…`) for a direct call. */
  get publishedSubject(): string {
    return this.message.subject;
  }

  /** Headers sent with the reply (success or error), made on first use; nothing is sent for an event. */
  get replyHeaders(): MsgHdrs {
    return (this._replyHeaders ??= natsHeaders());
  }

  /** @internal The reply headers when a middleware set any. */
  get replyHeadersIfAny(): MsgHdrs | undefined {
    return this._replyHeaders;
  }
}
