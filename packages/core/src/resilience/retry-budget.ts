import type { RetryBudgetOptions } from './resilience-options';

const BUCKETS = 10;

/**
 * Counts first attempts and retries over a sliding window of ten buckets and allows a retry
 * only while retries stay under `ratio` × first attempts + `minRetries`.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly minRetries: number;
  private readonly bucketMs: number;
  private readonly firsts = new Array<number>(BUCKETS).fill(0);
  private readonly retries = new Array<number>(BUCKETS).fill(0);
  private bucket = 0;
  private bucketStart = Date.now();

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.minRetries = options.minRetries ?? 10;
    this.bucketMs = (options.window ?? 10_000) / BUCKETS;
  }

  /** Records a first attempt. */
  first(): void {
    this.advance();
    this.firsts[this.bucket]++;
  }

  /** Records a retry and returns true when the budget allows one; false leaves it unrecorded. */
  tryRetry(): boolean {
    this.advance();
    let firsts = 0;
    let retries = 0;
    for (let i = 0; i < BUCKETS; i++) {
      firsts += this.firsts[i];
      retries += this.retries[i];
    }
    if (retries + 1 > this.ratio * firsts + this.minRetries) return false;
    this.retries[this.bucket]++;
    return true;
  }

  private advance(): void {
    const now = Date.now();
    let steps = Math.floor((now - this.bucketStart) / this.bucketMs);
    if (steps <= 0) return;
    this.bucketStart += steps * this.bucketMs;
    if (steps > BUCKETS) steps = BUCKETS;
    for (let i = 0; i < steps; i++) {
      this.bucket = (this.bucket + 1) % BUCKETS;
      this.firsts[this.bucket] = 0;
      this.retries[this.bucket] = 0;
    }
  }
}
