import type { RateLimitOptions } from './resilience-options';

/** A token bucket refilled continuously at `rate` per second, holding at most `burst` tokens. */
export class TokenBucket {
  private readonly perMs: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(options: RateLimitOptions) {
    this.perMs = options.rate / 1000;
    this.burst = Math.max(1, options.burst ?? options.rate);
    this.tokens = this.burst;
    this.last = performance.now();
  }

  /** Takes a token: returns 0 when one was there, else the ms until the next one. */
  take(): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perMs));
  }
}
