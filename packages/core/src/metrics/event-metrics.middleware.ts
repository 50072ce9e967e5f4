import type { Counter } from 'prom-client';
import type { DurableOutcomes } from '../durable/durable-outcomes';
import type { EventContext, Middleware, Next } from '../middleware/middleware';
import { isThenable } from '../runtime/is-thenable';
import { isRefusal } from '../runtime/refusal';
import type { MeshMetrics } from './mesh-metrics';

type Child = ReturnType<Counter<string>['labels']>;

/**
 * Built-in `event` middleware of every plain `@On` handler when metrics are on, outermost: counts
 * each delivery as `handled`, `failed` (the handler or a middleware threw) or `refused` (a guard
 * or other refusal).
 */
export class EventMetrics implements Middleware {
  readonly name = 'metrics';
  protected readonly handled: Child;
  protected readonly failed: Child;
  private readonly refused: Child;

  constructor(metrics: MeshMetrics, service: string, handler: string) {
    this.handled = metrics.events.labels(service, handler, 'handled');
    this.failed = metrics.events.labels(service, handler, 'failed');
    this.refused = metrics.events.labels(service, handler, 'refused');
    this.handled.inc(0);
    this.failed.inc(0);
  }

  event(_ctx: EventContext, next: Next): unknown {
    let out: unknown;
    try {
      out = next();
    } catch (err) {
      this.fail(err);
      throw err;
    }
    if (!isThenable(out)) {
      this.handled.inc();
      return out;
    }
    return Promise.resolve(out).then(
      (value) => {
        this.handled.inc();
        return value;
      },
      (err: unknown) => {
        this.fail(err);
        throw err;
      },
    );
  }

  protected fail(err: unknown): void {
    (isRefusal(err) ? this.refused : this.failed).inc();
  }
}

/**
 * The same for a durable `@On` handler, where what happens to a failed delivery decides its
 * outcome: the middleware counts `handled`, and the route tells {@link DurableOutcomes} whether a
 * failure (or refusal) was `redelivered` or `dead_lettered` (`failed`: neither, the dead letter
 * could not be published). Each delivery thus counts once, under one outcome.
 */
export class DurableEventMetrics extends EventMetrics implements DurableOutcomes {
  private readonly redeliveredChild: Child;
  private readonly deadLetteredChild: Child;
  private readonly arrivals: Child;

  constructor(metrics: MeshMetrics, service: string, handler: string) {
    super(metrics, service, handler);
    this.redeliveredChild = metrics.events.labels(service, handler, 'redelivered');
    this.deadLetteredChild = metrics.events.labels(service, handler, 'dead_lettered');
    this.arrivals = metrics.redeliveries.labels(service, handler);
    this.redeliveredChild.inc(0);
    this.deadLetteredChild.inc(0);
    this.arrivals.inc(0);
  }

  protected override fail(): void {
    // counted by the route, once it knows what became of the event
  }

  redelivery(): void {
    this.arrivals.inc();
  }

  redelivered(): void {
    this.redeliveredChild.inc();
  }

  deadLettered(): void {
    this.deadLetteredChild.inc();
  }

  unsettled(): void {
    this.failed.inc();
  }
}
