import type { Msg, NatsError } from 'nats';
import { MAX_TIMER_MS } from '../options/check-millis';
import { EndpointStats } from '../discovery/endpoint-stats';
import { MeshError } from '../errors/mesh-error';
import { TokenBucket } from '../resilience/token-bucket';
import type { BulkheadOptions, RateLimitOptions } from '../resilience/resilience-options';
import type { EndpointDefinition } from '../scanner/service-definition';
import type { DtoValidator } from '../validation/dto-validator';
import { Context, type ContextHost } from './context';
import { decodeInput } from './decode-input';
import { isThenable } from './is-thenable';
import type { InFlight } from './in-flight';
import { replyError, replyRefusal, replyValue } from './reply-writer';
import { DEADLINE_HEADER, RETRY_AFTER_HEADER, TIMEOUT_HEADER } from './wire-headers';

type HandlerFn = (input: unknown, ctx: Context) => unknown;

/** The server-side guards of an endpoint, resolved at boot (endpoint option, else app default). */
export interface RouteGuards {
  readonly rateLimit: RateLimitOptions | undefined;
  readonly bulkhead: BulkheadOptions | undefined;
}

interface Waiting {
  readonly msg: Msg;
  readonly receivedAt: number;
  readonly deadline: number;
}

/**
 * One endpoint compiled at boot: subject, queue, validator and the bound method are fixed,
 * so a message costs a decode, a Context and the handler call. A rate limit or bulkhead, when
 * configured, is a different subscription callback chosen here; without them there is no check.
 */
export class EndpointRoute {
  readonly subject: string;
  readonly queue: string;
  /** The subscription callback. */
  readonly onMessage: (err: NatsError | null, msg: Msg) => void;
  private readonly fn: HandlerFn;
  private readonly defaultTimeout: number;
  private readonly bucket: TokenBucket | undefined;
  private readonly slots: number;
  private readonly maxWaiting: number;
  private running = 0;
  private readonly waiting: Waiting[] = [];
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
    guards?: RouteGuards,
  ) {
    this.subject = definition.subject;
    this.queue = definition.queue;
    this.fn = (instance as Record<string, HandlerFn>)[definition.method];
    this.defaultTimeout = definition.timeout ?? appTimeout;
    this.bucket = guards?.rateLimit === undefined ? undefined : new TokenBucket(guards.rateLimit);
    this.slots = guards?.bulkhead?.concurrency ?? 0;
    this.maxWaiting = guards?.bulkhead?.queue ?? 0;
    this.onMessage = this.bucket === undefined && this.slots === 0 ? this.direct : this.guarded;
  }

  private readonly direct = (err: NatsError | null, msg: Msg): void => {
    if (err) return this.subscriptionFailed(err);
    this.inFlight.enter();
    const now = Date.now();
    void this.run(msg, now, now);
  };

  private readonly guarded = (err: NatsError | null, msg: Msg): void => {
    if (err) return this.subscriptionFailed(err);
    const now = Date.now();
    if (this.bucket !== undefined) {
      const wait = this.bucket.take();
      if (wait > 0) {
        this.stats.rateLimited++;
        this.refuse(
          msg,
          new MeshError('RATE_LIMITED', `"${this.subject}" takes no more requests right now (rate limit): retry in ${wait} ms.`, { retryAfterMs: wait }),
          [RETRY_AFTER_HEADER, String(wait)],
        );
        return;
      }
    }
    if (this.slots > 0) {
      if (this.running >= this.slots) {
        if (this.waiting.length >= this.maxWaiting && !this.dropExpired(now)) {
          this.stats.rejected++;
          this.refuse(msg, new MeshError('UNAVAILABLE', `"${this.subject}" is at its concurrency limit and its queue is full (bulkhead): retry later.`));
          return;
        }
        // Waiting requests count as in flight: stop() drains them, heartbeats report them as load.
        this.inFlight.enter();
        this.waiting.push({ msg, receivedAt: now, deadline: this.deadlineOf(msg, now) });
        return;
      }
      this.running++;
      this.inFlight.enter();
      void this.run(msg, now, now).then(this.next);
      return;
    }
    this.inFlight.enter();
    void this.run(msg, now, now);
  };

  private readonly next = (): void => {
    const w = this.waiting.shift();
    if (w === undefined) {
      this.running--;
      return;
    }
    void this.run(w.msg, w.receivedAt, Date.now()).then(this.next);
  };

  private async run(msg: Msg, receivedAt: number, now: number): Promise<void> {
    const started = performance.now();
    const deadline = this.deadlineOf(msg, receivedAt);
    if (deadline <= now) {
      this.expire(now - deadline);
      return;
    }
    let error: MeshError | undefined;
    try {
      let input = decodeInput(msg.data, this.validate, this.maxPayload);
      if (input instanceof Promise) input = await input;
      const ctx = new Context(this.subject, this.serviceName, this.definition.name, deadline, msg, this.host);
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

  // A full queue first lets go of requests whose callers stopped waiting, so they never crowd out live ones.
  private dropExpired(now: number): boolean {
    const before = this.waiting.length;
    for (let i = before - 1; i >= 0; i--) {
      const w = this.waiting[i];
      if (w.deadline <= now) {
        this.waiting.splice(i, 1);
        this.expire(now - w.deadline);
      }
    }
    return this.waiting.length < before;
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
  private expire(lateMs: number): void {
    this.stats.expired++;
    this.host.logger.debug({ subject: this.subject, lateMs }, 'request dropped: its deadline passed before the handler ran');
    this.inFlight.leave();
  }

  private refuse(msg: Msg, err: MeshError, extra?: readonly [string, string]): void {
    this.stats.record(performance.now(), err);
    replyRefusal(msg, err, this.host.logger, extra);
  }

  private subscriptionFailed(err: NatsError): void {
    this.host.logger.error({ err, subject: this.subject }, 'subscription failed');
  }
}
