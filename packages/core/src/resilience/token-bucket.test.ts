import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  // A fake clock: on a loaded machine a real 10 ms gap between two take() calls refills a
  // token and the "wait" case would pass or fail by chance.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lets a burst through, then says how long to wait', () => {
    const bucket = new TokenBucket({ rate: 100, burst: 3 });
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(10);
    jest.advanceTimersByTime(4);
    expect(bucket.take()).toBe(6);
    jest.advanceTimersByTime(6);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(10);
  });

  it('refills no more than the burst however long it sat idle', () => {
    const bucket = new TokenBucket({ rate: 100, burst: 2 });
    jest.advanceTimersByTime(60_000);
    expect([bucket.take(), bucket.take()]).toEqual([0, 0]);
    expect(bucket.take()).toBeGreaterThan(0);
  });
});
