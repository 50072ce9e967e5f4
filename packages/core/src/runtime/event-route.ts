import type { Msg, NatsError } from 'nats';
import type { SubscriptionDefinition } from '../scanner/service-definition';
import type { DtoValidator } from '../validation/dto-validator';
import { logSafely } from '../logging/log-safely';
import type { Step } from '../middleware/compose';
import { MessageContext } from '../middleware/message-context';
import type { Middleware } from '../middleware/middleware';
import { middlewareName } from '../middleware/middleware-name';
import { serverPipeline } from '../middleware/server-layers';
import type { ContextHost } from './context';
import { handlerStep } from './handler-step';
import { isThenable } from './is-thenable';
import { isRefusal } from './refusal';
import type { InFlight } from './in-flight';

/**
 * One `@On` subscription compiled at boot, with its `event` pipeline (app, service and handler
 * middleware → validation → handler; without middleware, validation and the handler alone).
 * A failing handler or middleware is logged; the subscription goes on.
 */
export class EventRoute {
  readonly subject: string;
  readonly queue: string | undefined;
  /** Names of the middleware around the handler, outermost first (empty: none). */
  readonly middleware: readonly string[];
  private readonly pipeline: Step<MessageContext>;

  constructor(
    readonly definition: SubscriptionDefinition,
    private readonly serviceName: string,
    instance: object,
    validate: DtoValidator | undefined,
    private readonly host: ContextHost,
    private readonly inFlight: InFlight,
    private readonly timeout: number,
    private readonly maxPayload?: number,
    middleware: readonly Middleware[] = [],
  ) {
    this.subject = definition.pattern;
    this.queue = definition.queue;
    this.middleware = middleware.map(middlewareName);
    this.pipeline = serverPipeline(middleware, 'event', handlerStep(instance, definition.method, validate));
  }

  /** The subscription callback. */
  onMessage(err: NatsError | null, msg: Msg): void {
    if (err) {
      this.host.logger.error({ err, subject: this.subject }, 'subscription failed');
      return;
    }
    this.inFlight.enter();
    const ctx = new MessageContext(msg.subject, this.serviceName, this.definition.method, Date.now() + this.timeout, msg, this.host, 'event', this.maxPayload);
    let out: unknown;
    try {
      out = this.pipeline(ctx);
    } catch (e) {
      this.failed(msg, ctx, e);
      return;
    }
    if (isThenable(out)) {
      Promise.resolve(out).then(
        () => this.inFlight.leave(),
        (e: unknown) => this.failed(msg, ctx, e),
      );
    } else {
      this.inFlight.leave();
    }
  }

  // A guard's refusal is the guard doing its job: a debug line, not an error per event.
  private failed(msg: Msg, ctx: MessageContext, err: unknown): void {
    const where = { service: this.serviceName, handler: this.definition.method, endpoint: this.definition.method, subject: msg.subject, ...ctx.traceFields };
    if (isRefusal(err)) logSafely(() => this.host.logger.debug({ ...where, err: err as Error }, 'event refused by a guard; the subscription goes on'));
    else logSafely(() => this.host.logger.error({ ...where, err: err as Error }, 'event handler failed; the subscription goes on'));
    this.inFlight.leave();
  }
}
