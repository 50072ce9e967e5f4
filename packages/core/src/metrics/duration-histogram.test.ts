import { DURATION_BUCKETS } from './duration-buckets';
import { durationBucket, durationQuantileMs, emptyDurationCounts } from './duration-histogram';

describe('duration histogram', () => {
  it('puts a duration in the first bucket whose bound it does not exceed', () => {
    expect(durationBucket(0.1)).toBe(0);
    expect(durationBucket(0.5)).toBe(0);
    expect(durationBucket(0.6)).toBe(1);
    expect(durationBucket(7)).toBe(DURATION_BUCKETS.indexOf(0.01));
    expect(durationBucket(60_000)).toBe(DURATION_BUCKETS.length);
    expect(emptyDurationCounts()).toHaveLength(DURATION_BUCKETS.length + 1);
  });

  it('reads a quantile in ms, interpolated within its bucket', () => {
    const counts = emptyDurationCounts();
    counts[durationBucket(7)] = 100; // all in (5 ms, 10 ms]
    expect(durationQuantileMs(DURATION_BUCKETS, counts, 0.5)).toBeCloseTo(7.5);
    expect(durationQuantileMs(DURATION_BUCKETS, counts, 0.99)).toBeCloseTo(9.95);
    counts[durationBucket(40)] = 2; // two slow ones in (25 ms, 50 ms]
    expect(durationQuantileMs(DURATION_BUCKETS, counts, 0.99)).toBeCloseTo(37.25);
  });

  it('answers the last bound for durations above it, and nothing for an empty histogram', () => {
    const counts = emptyDurationCounts();
    expect(durationQuantileMs(DURATION_BUCKETS, counts, 0.99)).toBeUndefined();
    counts[DURATION_BUCKETS.length] = 1;
    expect(durationQuantileMs(DURATION_BUCKETS, counts, 0.99)).toBe(10_000);
  });
});
