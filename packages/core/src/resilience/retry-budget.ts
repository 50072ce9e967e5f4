import type { RetryBudgetOptions } from './resilience-options';
import { SlidingCounts } from './sliding-counts';

/**
 * Counts first attempts and retries over a sliding window of ten buckets and allows a retry
 * only while retries stay under `ratio` × first attempts + `minRetries`.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly minRetries: number;
  /** First attempts and retries over the window. */
  private readonly window: SlidingCounts;

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.minRetries = options.minRetries ?? 10;
    this.window = new SlidingCounts(options.window ?? 10_000);
  }

  /** Records a first attempt. */
  first(): void {
    this.window.add(1, 0);
  }

  /** Records a retry and returns true when the budget allows one; false leaves it unrecorded. */
  tryRetry(): boolean {
    const [firsts, retries] = this.window.totals();
    if (retries + 1 > this.ratio * firsts + this.minRetries) return false;
    this.window.add(0, 1);
    return true;
  }
}
