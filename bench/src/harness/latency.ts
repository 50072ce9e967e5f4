/** The value at quantile `q` (0..1) of an ascending sorted array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** The median of some numbers; NaN for none. */
export function median(values: readonly number[]): number {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Collects latencies in microseconds without allocating per sample. */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private n = 0;

  add(us: number): void {
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = us;
  }

  get count(): number {
    return this.n;
  }

  /** p50 and p99 in microseconds. */
  percentiles(): { p50: number; p99: number } {
    const sorted = this.samples.slice(0, this.n).sort();
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  }
}
