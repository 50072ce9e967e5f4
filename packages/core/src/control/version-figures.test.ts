import { DURATION_BUCKETS } from '../metrics/duration-buckets';
import { durationBucket, emptyDurationCounts } from '../metrics/duration-histogram';
import { figuresBetween, type StatsSnapshot } from './version-figures';

type Counts = { version: string; started: number; requests: number; errors: number; le?: readonly number[]; counts?: readonly number[] };

// `requests` requests of about `ms` each.
function instance(version: string, started: number, requests: number, errors: number, ms = 7): Counts {
  const counts = emptyDurationCounts();
  counts[durationBucket(ms)] = requests;
  return { version, started, requests, errors, le: DURATION_BUCKETS, counts };
}

function snapshot(at: number, instances: Record<string, Counts>): StatsSnapshot {
  return { at, instances: new Map(Object.entries(instances)) };
}

describe('figuresBetween', () => {
  it('counts what each instance did between the snapshots, summed per version', () => {
    const before = snapshot(1000, { a: instance('1.0.0', 0, 100, 1), b: instance('1.0.0', 0, 50, 0), c: instance('2.0.0', 0, 10, 0) });
    const after = snapshot(2000, { a: instance('1.0.0', 0, 200, 1), b: instance('1.0.0', 0, 150, 10), c: instance('2.0.0', 0, 20, 5, 40) });
    const figures = figuresBetween(before, after);
    expect(figures.get('1.0.0')).toMatchObject({ instances: 2, requests: 200, errors: 10, errorRatio: 0.05 });
    expect(figures.get('1.0.0')!.p99Ms).toBeGreaterThan(5);
    expect(figures.get('1.0.0')!.p99Ms).toBeLessThanOrEqual(10);
    // c's 10 new requests took 40 ms: its earlier ones do not count.
    expect(figures.get('2.0.0')).toMatchObject({ instances: 1, requests: 10, errors: 5, errorRatio: 0.5 });
    expect(figures.get('2.0.0')!.p99Ms).toBeGreaterThan(25);
  });

  it('counts all of an instance started within the window, none of one missed at its start, all of one restarted', () => {
    const before = snapshot(1000, { restarted: instance('2.0.0', 0, 500, 0) });
    const after = snapshot(2000, {
      fresh: instance('2.0.0', 1500, 30, 3),
      missed: instance('2.0.0', 500, 1000, 1000),
      restarted: instance('2.0.0', 1200, 20, 0),
    });
    expect(figuresBetween(before, after).get('2.0.0')).toMatchObject({ instances: 3, requests: 50, errors: 3 });
  });

  it('leaves p99 out when an instance serves no histogram', () => {
    const { le: _le, counts: _counts, ...bare } = instance('1.0.0', 0, 10, 0);
    const figures = figuresBetween(snapshot(0, {}), snapshot(1000, { a: instance('1.0.0', 0, 10, 0), b: bare }));
    expect(figures.get('1.0.0')).toEqual({ version: '1.0.0', instances: 2, requests: 20, errors: 0, errorRatio: 0 });
  });
});
