import type { Msg, NatsError } from 'nats';
import type { SubscriptionDefinition } from '../scanner/service-definition';
import type { DtoValidator } from '../validation/dto-validator';
import { logSafely } from '../logging/log-safely';
import { Context, type ContextHost } from './context';
import { decodeInput } from './decode-input';
import { isThenable } from './is-thenable';
import type { InFlight } from './in-flight';

type HandlerFn = (input: unknown, ctx: Context) => unknown;

/** One `@On` subscription compiled at boot. A failing handler is logged; the subscription goes on. */
export class EventRoute {
  readonly subject: string;
  readonly queue: string | undefined;
  private readonly fn: HandlerFn;

  constructor(
    readonly definition: SubscriptionDefinition,
    private readonly serviceName: string,
    private readonly instance: object,
    private readonly validate: DtoValidator | undefined,
    private readonly host: ContextHost,
    private readonly inFlight: InFlight,
    private readonly timeout: number,
    private readonly maxPayload?: number,
  ) {
    this.subject = definition.pattern;
    this.queue = definition.queue;
    this.fn = (instance as Record<string, HandlerFn>)[definition.method];
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
    try {
      let input = decodeInput(msg.data, this.validate, this.maxPayload);
      if (input instanceof Promise) input = await input;
      const ctx = new Context(msg.subject, this.serviceName, this.definition.method, Date.now() + this.timeout, msg, this.host);
      const out = this.fn.call(this.instance, input, ctx);
      if (isThenable(out)) await out;
    } catch (err) {
      logSafely(() =>
        this.host.logger.error(
          { err: err as Error, service: this.serviceName, handler: this.definition.method, subject: msg.subject },
          'event handler failed; the subscription goes on',
        ),
      );
    } finally {
      this.inFlight.leave();
    }
  }
}
