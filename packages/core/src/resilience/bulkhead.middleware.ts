import type { EndpointStats } from '../discovery/endpoint-stats';
import { MeshError } from '../errors/mesh-error';
import type { HandleContext, Middleware, Next } from '../middleware/middleware';
import { isThenable } from '../runtime/is-thenable';
import { NO_REPLY } from '../runtime/no-reply';
import { refusal } from '../runtime/refusal';
import type { BulkheadOptions } from './resilience-options';

interface Waiting {
  readonly deadline: number;
  readonly run: () => void;
  readonly drop: () => void;
}

/**
 * Built-in `handle` middleware of an endpoint with a bulkhead (`@Handle({ bulkhead })` or the
 * app's default): at most `concurrency` runs at once per instance, then up to `queue` requests
 * wait in order; a request that finds the queue full is answered `UNAVAILABLE` (503) at once.
 * A waiting request whose deadline passes is dropped without a reply when its turn comes, or
 * earlier when the queue is full and a live request needs its place.
 */
export class Bulkhead implements Middleware {
  readonly name = 'bulkhead';
  private readonly slots: number;
  private readonly maxWaiting: number;
  private running = 0;
  private readonly waiting: Waiting[] = [];

  constructor(
    options: BulkheadOptions,
    private readonly stats: EndpointStats,
  ) {
    this.slots = options.concurrency;
    this.maxWaiting = options.queue ?? 0;
  }

  handle(ctx: HandleContext, next: Next): unknown {
    if (this.running < this.slots) {
      this.running++;
      return this.runThenFree(next);
    }
    if (this.waiting.length >= this.maxWaiting && !this.dropExpired(Date.now())) {
      this.stats.rejected++;
      throw refusal(new MeshError('UNAVAILABLE', `"${ctx.subject}" is at its concurrency limit and its queue is full (bulkhead): retry later.`));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({
        deadline: ctx.deadline,
        run: () => {
          try {
            Promise.resolve(this.runThenFree(next)).then(resolve, reject);
          } catch (err) {
            reject(err);
          }
        },
        drop: () => resolve(NO_REPLY),
      });
    });
  }

  // The slot passes to the next live waiter when this run settles, success or failure.
  private runThenFree(next: Next): unknown {
    let out: unknown;
    try {
      out = next();
    } catch (err) {
      this.free();
      throw err;
    }
    if (!isThenable(out)) {
      this.free();
      return out;
    }
    return Promise.resolve(out).then(
      (value) => {
        this.free();
        return value;
      },
      (err: unknown) => {
        this.free();
        throw err;
      },
    );
  }

  private free(): void {
    const now = Date.now();
    for (let w = this.waiting.shift(); w !== undefined; w = this.waiting.shift()) {
      if (w.deadline > now) {
        w.run();
        return;
      }
      w.drop();
    }
    this.running--;
  }

  // A full queue first lets go of requests whose callers stopped waiting, so they never crowd out live ones.
  private dropExpired(now: number): boolean {
    const before = this.waiting.length;
    for (let i = before - 1; i >= 0; i--) {
      const w = this.waiting[i];
      if (w.deadline <= now) {
        this.waiting.splice(i, 1);
        w.drop();
      }
    }
    return this.waiting.length < before;
  }
}
