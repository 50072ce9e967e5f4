import type { Counter } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

/**
 * One series of a prom-client counter, counted as a plain number where it happens and added to
 * the counter when prom-client collects it (a scrape, `registry.metrics()`, `counter.get()`). A
 * labelled prom-client `inc()` validates and hashes its labels on every call; on the per-message
 * path that was a measurable share of a request's CPU (bench/README.md, issue 12).
 */
export class Tally {
  private pending = 0;

  constructor(readonly labels: Labels) {}

  inc(): void {
    this.pending++;
  }

  /** Adds what was counted since the last call to `counter`. */
  flushInto(counter: Counter<string>): void {
    if (this.pending === 0) return;
    counter.inc(this.labels, this.pending);
    this.pending = 0;
  }
}

/** The tallies of one prom-client counter; make the counter with `collect: () => tallies.flush()`. */
export class Tallies {
  private readonly all: Tally[] = [];
  private counter: Counter<string> | undefined;

  /** Binds the counter the tallies flush into (once it is made). */
  of(counter: Counter<string>): this {
    this.counter = counter;
    return this;
  }

  /** A new series of the counter, present at 0 from the next scrape on. */
  tally(labels: Labels): Tally {
    const t = new Tally(labels);
    this.all.push(t);
    this.counter!.inc(labels, 0);
    return t;
  }

  flush(): void {
    const counter = this.counter!;
    for (const t of this.all) t.flushInto(counter);
  }
}
