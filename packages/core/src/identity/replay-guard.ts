/** What {@link ReplayGuard.check} found. */
export type ReplayVerdict = 'fresh' | 'replay' | 'evicted';

/**
 * The nonces of the signed requests accepted within the clock-skew window, bounded. Entries
 * leave in arrival order: once expired (their time is older than `now - skew`, which the clock
 * check refuses anyway), or, when more than `capacity` are held, early. An early eviction raises
 * a floor: a signature not newer than the newest evicted one is refused (`evicted`), so a replay
 * is never let through because its nonce was forgotten. Under more than `capacity / skew`
 * requests per ms the window in which a request may arrive late shrinks instead.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private floor = -Infinity;

  constructor(
    private readonly skew: number,
    private readonly capacity: number,
  ) {}

  /** `fresh` (and remembered) for a nonce not seen in the window; `replay` for one seen; `evicted` when `timestamp` is at or below the floor. */
  check(nonce: string, timestamp: number, now: number): ReplayVerdict {
    if (timestamp <= this.floor) return 'evicted';
    if (this.seen.has(nonce)) return 'replay';
    this.seen.set(nonce, timestamp);
    this.prune(now);
    return 'fresh';
  }

  /** Nonces held (for tests). */
  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    const oldest = now - this.skew;
    for (const [nonce, ts] of this.seen) {
      if (this.seen.size > this.capacity) {
        if (ts > this.floor) this.floor = ts;
      } else if (ts >= oldest) {
        return;
      }
      this.seen.delete(nonce);
    }
  }
}
