import type { Counter } from 'prom-client';
import type { EventContext, Middleware, Next } from '../middleware/middleware';
import { isThenable } from '../runtime/is-thenable';
import { isRefusal } from '../runtime/refusal';
import type { MeshMetrics } from './mesh-metrics';

type Child = ReturnType<Counter<string>['labels']>;

/**
 * Built-in `event` middleware of every `@On` handler when metrics are on, outermost: counts each
 * delivery as `handled`, `failed` (the handler or a middleware threw; a durable event is then
 * redelivered or dead-lettered) or `refused` (a guard or other refusal).
 */
export class EventMetrics implements Middleware {
  readonly name = 'metrics';
  private readonly handled: Child;
  private readonly failed: Child;
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

  private fail(err: unknown): void {
    (isRefusal(err) ? this.refused : this.failed).inc();
  }
}
