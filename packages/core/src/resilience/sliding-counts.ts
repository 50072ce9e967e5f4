const BUCKETS = 10;

/**
 * Two counters over a sliding time window of ten buckets: the circuit breaker counts calls
 * and failures with it, the retry budget first attempts and retries.
 */
export class SlidingCounts {
  private readonly bucketMs: number;
  private readonly a = new Array<number>(BUCKETS).fill(0);
  private readonly b = new Array<number>(BUCKETS).fill(0);
  private bucket = 0;
  private bucketStart = Date.now();

  constructor(windowMs: number) {
    this.bucketMs = windowMs / BUCKETS;
  }

  /** Adds to the current bucket. */
  add(a: number, b: number): void {
    this.advance();
    this.a[this.bucket] += a;
    this.b[this.bucket] += b;
  }

  /** The totals over the window, as `[a, b]`. */
  totals(): [number, number] {
    this.advance();
    let a = 0;
    let b = 0;
    for (let i = 0; i < BUCKETS; i++) {
      a += this.a[i];
      b += this.b[i];
    }
    return [a, b];
  }

  /** Forgets everything counted. */
  clear(): void {
    this.a.fill(0);
    this.b.fill(0);
  }

  private advance(): void {
    let steps = Math.floor((Date.now() - this.bucketStart) / this.bucketMs);
    if (steps <= 0) return;
    this.bucketStart += steps * this.bucketMs;
    if (steps > BUCKETS) steps = BUCKETS;
    for (let i = 0; i < steps; i++) {
      this.bucket = (this.bucket + 1) % BUCKETS;
      this.a[this.bucket] = 0;
      this.b[this.bucket] = 0;
    }
  }
}
