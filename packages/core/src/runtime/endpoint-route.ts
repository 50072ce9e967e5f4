import type { Msg, NatsError } from 'nats';
import { EndpointStats } from '../discovery/endpoint-stats';
import { MeshError } from '../errors/mesh-error';
import type { EndpointDefinition } from '../scanner/service-definition';
import type { DtoValidator } from '../validation/dto-validator';
import { Context, type ContextHost } from './context';
import { decodeInput } from './decode-input';
import { isThenable } from './is-thenable';
import type { InFlight } from './in-flight';
import { replyError, replyValue } from './reply-writer';
import { TIMEOUT_HEADER } from './wire-headers';

type HandlerFn = (input: unknown, ctx: Context) => unknown;

/**
 * One endpoint compiled at boot: subject, queue, validator and the bound method are fixed,
 * so a message costs a decode, a Context and the handler call.
 */
export class EndpointRoute {
  readonly subject: string;
  readonly queue: string;
  private readonly fn: HandlerFn;
  private readonly defaultTimeout: number;
  /** Counters served on `$SRV.STATS`. */
  readonly stats = new EndpointStats();

  constructor(
    readonly definition: EndpointDefinition,
    readonly serviceName: string,
    private readonly instance: object,
    private readonly validate: DtoValidator | undefined,
    private readonly host: ContextHost,
    private readonly inFlight: InFlight,
    appTimeout: number,
    private readonly maxPayload?: number,
  ) {
    this.subject = definition.subject;
    this.queue = definition.queue;
    this.fn = (instance as Record<string, HandlerFn>)[definition.method];
    this.defaultTimeout = definition.timeout ?? appTimeout;
  }

  /** The subscription callback. */
  onMessage(err: NatsError | null, msg: Msg): void {
    if (err) {
      this.host.logger.error({ err, subject: this.subject }, 'subscription failed');
      return;
    }
    this.inFlight.enter();
    void this.run(msg);
  }

  private async run(msg: Msg): Promise<void> {
    const started = performance.now();
    let error: MeshError | undefined;
    try {
      if (this.maxPayload !== undefined && msg.data.length > this.maxPayload) throw tooLarge(msg.data.length, this.maxPayload);
      let input = decodeInput(msg.data, this.validate);
      if (input instanceof Promise) input = await input;
      const ctx = new Context(msg.subject, this.serviceName, this.definition.name, Date.now() + this.timeoutOf(msg), msg, this.host);
      let out = this.fn.call(this.instance, input, ctx);
      if (isThenable(out)) out = await out;
      error = replyValue(msg, out, this.host.logger);
    } catch (err) {
      error = replyError(msg, err, this.host.logger);
    } finally {
      this.stats.record(started, error);
      this.inFlight.leave();
    }
  }

  private timeoutOf(msg: Msg): number {
    const h = msg.headers;
    if (h === undefined) return this.defaultTimeout;
    const v = Number(h.get(TIMEOUT_HEADER));
    return v > 0 ? v : this.defaultTimeout;
  }
}

function tooLarge(size: number, limit: number): MeshError {
  return new MeshError('PAYLOAD_TOO_LARGE', `The request has ${size} bytes, more than this service's maxPayload of ${limit}: send less data.`, { size, limit });
}
