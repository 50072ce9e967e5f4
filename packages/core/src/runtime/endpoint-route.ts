import type { Msg, NatsError } from 'nats';
import { MAX_TIMER_MS } from '../options/check-millis';
import { EndpointStats } from '../discovery/endpoint-stats';
import type { EndpointMeter } from '../metrics/endpoint-meter';
import { bindNew } from '../logging/app-logger';
import { tracedLogger } from '../logging/traced-logger';
import type { Logger } from '../logging/logger';
import { MeshError } from '../errors/mesh-error';
import type { BulkheadOptions, RateLimitOptions } from '../resilience/resilience-options';
import type { EndpointDefinition } from '../scanner/service-definition';
import type { DtoValidator } from '../validation/dto-validator';
import { Context, type ContextHost } from './context';
import { decodeInput } from './decode-input';
import { isThenable } from './is-thenable';
import type { InFlight } from './in-flight';
import { replyError, replyRefusal, replyValue } from './reply-writer';
import { DEADLINE_HEADER, TIMEOUT_HEADER } from './wire-headers';
import type { Step } from '../middleware/compose';
import { MessageContext } from '../middleware/message-context';
import type { Middleware } from '../middleware/middleware';
import { middlewareName } from '../middleware/middleware-name';
import { serverPipeline } from '../middleware/server-layers';
import { Bulkhead } from '../resilience/bulkhead.middleware';
import { RateLimit } from '../resilience/rate-limit.middleware';
import { DeadlineDrop } from './deadline-drop.middleware';
import { handlerStep } from './handler-step';
import { EXPIRED, NO_REPLY } from './no-reply';
import { isRefusal } from './refusal';

type HandlerFn = (input: unknown, ctx: Context) => unknown;

/** The server-side guards of an endpoint, resolved at boot (endpoint option, else app default). */
export interface RouteGuards {
  readonly rateLimit: RateLimitOptions | undefined;
  readonly bulkhead: BulkheadOptions | undefined;
  /** The app's caller-identity check (signed identity with `trust`), innermost of the built-ins. */
  readonly identity?: Middleware;
}

/**
 * One endpoint compiled at boot: subject, queue, validator, the bound method and the `handle`
 * pipeline are fixed, so a message costs a decode, a Context and the handler call. Without
 * middleware (no user middleware, no rate limit, no bulkhead) the subscription callback calls
 * the handler directly; with some, it runs the pipeline composed here: metrics (when on) → deadline drop → rate
 * limit → bulkhead → caller identity → faults → app, service and handler middleware → validation → handler.
 * The faults layer is there only while a server-side fault of the control plane applies to the
 * endpoint ({@link useFaults}): the pipeline is composed again when that changes, never per message.
 */
export class EndpointRoute {
  readonly subject: string;
  readonly queue: string;
  /** The subscription callback; replaced when faults are swapped in or out (read it per message). */
  onMessage: (err: NatsError | null, msg: Msg) => void;
  /** Names of the middleware around the handler, outermost first (empty: none). */
  readonly middleware: readonly string[];
  private readonly fn: HandlerFn;
  private readonly defaultTimeout: number;
  private pipeline: Step<MessageContext> | undefined;
  private readonly outer: readonly Middleware[];
  private readonly builtIns: readonly Middleware[];
  private readonly own: readonly Middleware[];
  private readonly meter: EndpointMeter | undefined;
  /** Counters served on `$SRV.STATS` (and, with metrics on, counted into them). */
  readonly stats: EndpointStats;
  /** The app's logger bound to this service and endpoint, for the lines about its requests. */
  private readonly log: Logger;

  constructor(
    readonly definition: EndpointDefinition,
    readonly serviceName: string,
    private readonly instance: object,
    private readonly validate: DtoValidator | undefined,
    private readonly host: ContextHost,
    private readonly inFlight: InFlight,
    appTimeout: number,
    private readonly maxPayload?: number,
    guards?: RouteGuards,
    middleware: readonly Middleware[] = [],
    metrics?: EndpointMeter,
    tracing?: Middleware,
  ) {
    this.subject = definition.subject;
    this.stats = metrics ?? new EndpointStats();
    this.queue = definition.queue;
    this.fn = (instance as Record<string, HandlerFn>)[definition.method];
    this.log = bindNew(host.logger, { service: serviceName, endpoint: definition.name });
    this.defaultTimeout = definition.timeout ?? appTimeout;
    const builtIns: Middleware[] = [];
    if (guards?.rateLimit !== undefined) builtIns.push(new RateLimit(guards.rateLimit, this.stats));
    if (guards?.bulkhead !== undefined) builtIns.push(new Bulkhead(guards.bulkhead, this.stats));
    if (guards?.identity !== undefined) builtIns.push(guards.identity);
    this.builtIns = builtIns;
    // Tracing goes outermost, before the deadline drop, so refusals and expired drops are seen.
    // Metrics are not a layer: the route reports each request's end to the meter (this.stats).
    this.outer = tracing === undefined ? [] : [tracing];
    this.own = middleware;
    this.meter = metrics;
    this.middleware = [...(metrics === undefined ? [] : ['metrics']), ...[...this.outer, ...builtIns, ...middleware].map(middlewareName)];
    this.onMessage = this.composed(undefined);
  }

  /**
   * @internal Swaps the endpoint's fault layer (the control plane's server-side faults) in, after
   * the built-in guards and before the user's middleware, or out (undefined): the pipeline is
   * composed again, so an endpoint without faults pays nothing per message for them. Requests
   * already running finish on the pipeline they started on.
   */
  useFaults(faults: Middleware | undefined): void {
    this.onMessage = this.composed(faults);
  }

  private composed(faults: Middleware | undefined): (err: NatsError | null, msg: Msg) => void {
    const middleware = this.own;
    const guards = faults === undefined ? this.builtIns : [...this.builtIns, faults];
    let onMessage: (err: NatsError | null, msg: Msg) => void;
    if (this.outer.length + guards.length + middleware.length === 0) {
      this.pipeline = undefined;
      onMessage = this.direct;
    } else {
      const handler = handlerStep(this.instance, this.definition.method, this.validate);
      // Middleware may take time (an auth lookup): the deadline is checked again before the handler.
      const inner: Step<MessageContext> = middleware.length === 0 ? handler : (ctx) => (ctx.deadline <= Date.now() ? expired() : handler(ctx));
      this.pipeline = serverPipeline([...this.outer, new DeadlineDrop(), ...guards, ...middleware], 'handle', inner);
      onMessage = this.piped;
    }
    const metrics = this.meter;
    if (metrics === undefined) return onMessage;
    return (err, msg) => {
      if (!err) metrics.arrived();
      onMessage(err, msg);
    };
  }

  private readonly direct = (err: NatsError | null, msg: Msg): void => {
    if (err) return this.subscriptionFailed(err);
    this.inFlight.enter();
    void this.run(msg, Date.now());
  };

  private readonly piped = (err: NatsError | null, msg: Msg): void => {
    if (err) return this.subscriptionFailed(err);
    this.inFlight.enter();
    const started = performance.now();
    const ctx = new MessageContext(this.subject, this.serviceName, this.definition.name, this.deadlineOf(msg, Date.now()), msg, this.host, 'handle', this.maxPayload);
    let out: unknown;
    try {
      out = this.pipeline!(ctx);
    } catch (err) {
      this.failed(msg, ctx, started, err);
      return;
    }
    if (isThenable(out)) {
      Promise.resolve(out).then(
        (value) => this.answered(msg, ctx, started, value),
        (err: unknown) => this.failed(msg, ctx, started, err),
      );
    } else {
      this.answered(msg, ctx, started, out);
    }
  };

  private answered(msg: Msg, ctx: MessageContext, started: number, value: unknown): void {
    if (value === NO_REPLY) return this.expire(started, Date.now() - ctx.deadline, ctx);
    const error = replyValue(msg, value, tracedLogger(this.log, ctx.traceFields), ctx.replyHeadersIfAny);
    this.stats.record(started, error);
    this.inFlight.leave();
  }

  private failed(msg: Msg, ctx: MessageContext, started: number, err: unknown): void {
    if (err === EXPIRED) return this.expire(started, Date.now() - ctx.deadline, ctx);
    const log = tracedLogger(this.log, ctx.traceFields);
    const error = isRefusal(err) ? replyRefusal(msg, err as MeshError, log, ctx.replyHeadersIfAny) : replyError(msg, err, log, ctx.replyHeadersIfAny);
    this.stats.record(started, error);
    this.inFlight.leave();
  }

  private async run(msg: Msg, now: number): Promise<void> {
    const started = performance.now();
    const deadline = this.deadlineOf(msg, now);
    if (deadline <= now) {
      this.expire(started, now - deadline);
      return;
    }
    let error: MeshError | undefined;
    try {
      let input = decodeInput(msg.data, this.validate, this.maxPayload);
      if (input instanceof Promise) input = await input;
      const ctx = new Context(this.subject, this.serviceName, this.definition.name, deadline, msg, this.host);
      let out = this.fn.call(this.instance, input, ctx);
      if (isThenable(out)) out = await out;
      error = replyValue(msg, out, this.log);
    } catch (err) {
      error = replyError(msg, err, this.log);
    } finally {
      this.stats.record(started, error);
      this.inFlight.leave();
    }
  }

  // The caller's absolute deadline also counts the time the request spent before it reached
  // this process (a backlog in the socket, a busy event loop); receipt plus the relative
  // timeout bounds it, so a server clock that is behind never stretches the deadline.
  private deadlineOf(msg: Msg, receivedAt: number): number {
    const h = msg.headers;
    if (h === undefined) return receivedAt + this.defaultTimeout;
    const timeout = Number(h.get(TIMEOUT_HEADER));
    if (!(timeout > 0)) return receivedAt + this.defaultTimeout;
    // A timeout no timer can hold (over 2^31-1 ms) is clamped, else ctx.signal would abort at once.
    const relative = receivedAt + (timeout < MAX_TIMER_MS ? timeout : MAX_TIMER_MS);
    const absolute = Number(h.get(DEADLINE_HEADER));
    return absolute > 0 && absolute < relative ? absolute : relative;
  }

  // Nobody waits for the answer: no reply, no handler run. Counted in $SRV.STATS (data.expired).
  private expire(started: number, lateMs: number, ctx?: MessageContext): void {
    this.stats.recordExpired(started);
    tracedLogger(this.log, ctx?.traceFields).debug({ subject: this.subject, lateMs }, 'request dropped: its deadline passed before the handler ran');
    this.inFlight.leave();
  }

  private subscriptionFailed(err: NatsError): void {
    this.log.error({ err, subject: this.subject }, 'subscription failed');
  }
}

function expired(): never {
  throw EXPIRED;
}
