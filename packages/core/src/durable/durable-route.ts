import { headers as natsHeaders, type ConsumerMessages, type JetStreamClient, type JsMsg, type NatsConnection } from 'nats';
import { MeshError } from '../errors/mesh-error';
import { thrownMessage, toMeshError } from '../errors/to-mesh-error';
import { logSafely } from '../logging/log-safely';
import type { ContextHost } from '../runtime/context';
import type { Step } from '../middleware/compose';
import { MessageContext } from '../middleware/message-context';
import type { Middleware } from '../middleware/middleware';
import { middlewareName } from '../middleware/middleware-name';
import { serverPipeline } from '../middleware/server-layers';
import { handlerStep } from '../runtime/handler-step';
import { isRefusal } from '../runtime/refusal';
import { headerMessage } from '../runtime/error-replies';
import type { InFlight } from '../runtime/in-flight';
import { isThenable } from '../runtime/is-thenable';
import type { SubscriptionDefinition } from '../scanner/service-definition';
import type { DtoValidator } from '../validation/dto-validator';
import { retryDelay, type ConsumerPlan } from './durable-plan';
import { DEAD_LETTER_HEADERS } from './dead-letter-headers';
import { drainPulls } from './drain-pulls';
import type { DurableOutcomes } from './durable-outcomes';

// Pull this many events per request; the consumer's max_ack_pending bounds what runs at once.
const PULL_BATCH = 256;

/**
 * One durable `@On` compiled at boot: a pull consumer shared by every instance of the service.
 * An event is acked after the handler resolves, nak'ed with the backoff delay when it throws,
 * and after `maxDeliver` deliveries (or at once, for a payload that cannot be decoded) sent to
 * the dead-letter subject and terminated. Middleware wraps the handler as the `event` pipeline;
 * a throw there is a handler failure (nak'ed, redelivered).
 */
export class DurableRoute {
  /** Names of the middleware around the handler, outermost first (empty: none). */
  readonly middleware: readonly string[];
  private readonly pipeline: Step<MessageContext>;
  private messages: ConsumerMessages | undefined;
  private nc: NatsConnection | undefined;

  constructor(
    readonly definition: SubscriptionDefinition,
    readonly plan: ConsumerPlan,
    private readonly serviceName: string,
    instance: object,
    validate: DtoValidator | undefined,
    private readonly host: ContextHost,
    private readonly inFlight: InFlight,
    private readonly maxPayload: number | undefined,
    middleware: readonly Middleware[] = [],
    private readonly outcomes?: DurableOutcomes,
  ) {
    this.middleware = middleware.map(middlewareName);
    this.pipeline = serverPipeline(middleware, 'event', handlerStep(instance, definition.method, validate));
  }

  /** Starts pulling from the (existing) consumer. */
  async start(nc: NatsConnection, js: JetStreamClient): Promise<void> {
    this.nc = nc;
    const consumer = await js.consumers.get(this.plan.stream, this.plan.durable);
    const outcomes = this.outcomes;
    // Decided here: without metrics a delivery's info (parsed from its reply subject) is never read for them.
    const callback =
      outcomes === undefined
        ? (m: JsMsg) => this.onMessage(m)
        : (m: JsMsg) => {
            if (m.info.deliveryCount > 1) outcomes.redelivery();
            this.onMessage(m);
          };
    this.messages = await consumer.consume({ max_messages: Math.min(PULL_BATCH, this.plan.maxAckPending), callback });
  }

  /**
   * Stops pulling; handlers in flight go on (the app waits for them) and ack as usual. Events the
   * server sent before it saw the unsubscribe are still received and handled like the others, so
   * none is left pending until its ack wait.
   */
  async stop(): Promise<void> {
    const m = this.messages;
    this.messages = undefined;
    if (!m) return;
    await drainPulls(m);
    await m.close().catch(() => undefined);
  }

  private onMessage(m: JsMsg): void {
    this.inFlight.enter();
    const ctx = new MessageContext(m.subject, this.serviceName, this.definition.method, Date.now() + this.plan.ackWait, m, this.host, 'event', this.maxPayload);
    let out: unknown;
    try {
      out = this.pipeline(ctx);
    } catch (err) {
      this.settle(m, ctx, true, err);
      return;
    }
    if (isThenable(out)) {
      Promise.resolve(out).then(
        () => this.settle(m, ctx, false, undefined),
        (err: unknown) => this.settle(m, ctx, true, err),
      );
    } else {
      this.settle(m, ctx, false, undefined);
    }
  }

  // An input that cannot be decoded or validated, or an event a guard refused, fails the same
  // way on every delivery: dead-lettered at once (kept, not lost, and not retried for nothing).
  private settle(m: JsMsg, ctx: MessageContext, failed: boolean, err: unknown): void {
    try {
      if (failed) this.fail(m, ctx, err, ctx.badInput || isRefusal(err));
      else m.ack();
    } catch (settleErr) {
      // The connection went away: the server redelivers the event after ack_wait.
      logSafely(() => this.host.logger.warn({ err: settleErr as Error, subject: m.subject, durable: this.plan.durable, ...ctx.traceFields }, 'cannot ack or nak the event; the server will redeliver it'));
    } finally {
      this.inFlight.leave();
    }
  }

  private fail(m: JsMsg, ctx: MessageContext, err: unknown, permanent: boolean): void {
    const log = this.host.logger;
    const deliveries = m.info.deliveryCount;
    const where = {
      service: this.serviceName,
      handler: this.definition.method,
      endpoint: this.definition.method,
      subject: m.subject,
      stream: this.plan.stream,
      durable: this.plan.durable,
      seq: m.seq,
      deliveries,
      ...ctx.traceFields,
    };
    if (!permanent && deliveries < this.plan.maxDeliver) {
      const delay = retryDelay(this.plan.backoff, deliveries);
      // Counted first: should the nak fail, the server still redelivers after the ack wait.
      this.outcomes?.redelivered();
      m.nak(delay);
      logSafely(() => log.warn({ ...where, err: err as Error, retryIn: delay }, 'durable event handler failed; the event will be redelivered'));
      return;
    }
    const meshError = toMeshError(err, thrownMessage(err, 'Internal error; the service log has the cause.'));
    try {
      this.deadLetter(m, meshError);
    } catch (sendErr) {
      // Not terminated: the server redelivers it after ack_wait (until its max_deliver), so it is not lost silently.
      logSafely(() => log.error({ ...where, err: sendErr as Error }, 'cannot publish the dead letter; leaving the event to the server'));
      this.outcomes?.unsettled();
      return;
    }
    this.outcomes?.deadLettered();
    m.term();
    // A refusal (a guard said no) is expected: a warning that names it, without a stack.
    if (isRefusal(err)) {
      logSafely(() => log.warn({ ...where, code: meshError.code, reason: meshError.message, deadLetter: this.plan.deadLetter }, 'durable event refused by a guard; the event went to the dead-letter subject'));
    } else {
      logSafely(() => log.error({ ...where, err: err as Error, deadLetter: this.plan.deadLetter }, 'durable event handler gave up; the event went to the dead-letter subject'));
    }
  }

  private deadLetter(m: JsMsg, err: MeshError): void {
    const h = natsHeaders();
    const original = m.headers;
    if (original !== undefined) for (const key of original.keys()) for (const v of original.values(key)) h.append(key, v);
    const H = DEAD_LETTER_HEADERS;
    h.set(H.error, headerMessage(err.message));
    h.set(H.code, err.code);
    h.set(H.subject, m.subject);
    h.set(H.stream, this.plan.stream);
    h.set(H.consumer, this.plan.durable);
    h.set(H.sequence, String(m.seq));
    h.set(H.deliveries, String(m.info.deliveryCount));
    this.nc!.publish(this.plan.deadLetter, m.data, { headers: h });
  }
}
