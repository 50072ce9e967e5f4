import { DURATION_BUCKETS } from './duration-buckets';

// The upper bounds in ms, so that recording a request costs no unit conversion.
const BOUNDS_MS: readonly number[] = DURATION_BUCKETS.map((s) => s * 1000);

/** A fresh array of bucket counts for {@link DURATION_BUCKETS}: one per bound, plus one for longer requests. */
export function emptyDurationCounts(): number[] {
  return new Array<number>(DURATION_BUCKETS.length + 1).fill(0);
}

/**
 * The index of the bucket a duration of `ms` falls in: the first bound (seconds, in
 * {@link DURATION_BUCKETS}) it does not exceed, or `DURATION_BUCKETS.length` above the last.
 */
export function durationBucket(ms: number): number {
  // Linear from the shortest: most requests take a few ms, so this stops within a few steps.
  let i = 0;
  while (i < BOUNDS_MS.length && ms > BOUNDS_MS[i]!) i++;
  return i;
}

/**
 * The `q` quantile (0–1) of a histogram, in ms, interpolated linearly within its bucket as
 * Prometheus's `histogram_quantile` does: `counts[i]` counts the durations in (`le[i-1]`, `le[i]`]
 * seconds, and the last entry those above the last bound (answered as the last bound).
 * Undefined when the histogram is empty.
 */
export function durationQuantileMs(le: readonly number[], counts: readonly number[], q: number): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && seen + n >= rank) {
      if (i >= le.length) return le[le.length - 1]! * 1000;
      const lower = i === 0 ? 0 : le[i - 1]!;
      return (lower + (le[i]! - lower) * ((rank - seen) / n)) * 1000;
    }
    seen += n;
  }
  return le[le.length - 1]! * 1000;
}
