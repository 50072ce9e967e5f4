import type { DurableOutcomes } from '../durable/durable-outcomes';
import type { EventContext, Middleware, Next } from '../middleware/middleware';
import { isThenable } from '../runtime/is-thenable';
import { isRefusal } from '../runtime/refusal';
import type { MeshMetrics } from './mesh-metrics';
import type { Tally } from './tally';

/**
 * Built-in `event` middleware of every plain `@On` handler when metrics are on, outermost: counts
 * each delivery as `handled`, `failed` (the handler or a middleware threw) or `refused` (a guard
 * or other refusal).
 */
export class EventMetrics implements Middleware {
  readonly name = 'metrics';
  protected readonly handled: Tally;
  protected readonly failed: Tally;
  private refusedTally: Tally | undefined;

  constructor(
    private readonly metrics: MeshMetrics,
    private readonly service: string,
    private readonly handler: string,
  ) {
    this.handled = this.outcome('handled');
    this.failed = this.outcome('failed');
  }

  /** The series of one outcome of this handler. */
  protected outcome(outcome: string): Tally {
    return this.metrics.events.tally({ service: this.service, handler: this.handler, outcome });
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
    // Made on the first refusal: a handler without a guard shows no refused series.
    (isRefusal(err) ? (this.refusedTally ??= this.outcome('refused')) : this.failed).inc();
  }
}

/**
 * The same for a durable `@On` handler, where what happens to a failed delivery decides its
 * outcome: the middleware counts `handled`, and the route tells {@link DurableOutcomes} whether a
 * failure (or refusal) was `redelivered` or `dead_lettered` (`failed`: neither, the dead letter
 * could not be published). Each delivery thus counts once, under one outcome.
 */
export class DurableEventMetrics extends EventMetrics implements DurableOutcomes {
  private readonly redeliveredChild: Tally;
  private readonly deadLetteredChild: Tally;
  private readonly arrivals: Tally;

  constructor(metrics: MeshMetrics, service: string, handler: string) {
    super(metrics, service, handler);
    this.redeliveredChild = this.outcome('redelivered');
    this.deadLetteredChild = this.outcome('dead_lettered');
    this.arrivals = metrics.redeliveries.tally({ service, handler });
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
