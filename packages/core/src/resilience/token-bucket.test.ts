import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('lets a burst through, then says how long to wait', async () => {
    const bucket = new TokenBucket({ rate: 100, burst: 3 });
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    const wait = bucket.take();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 25));
    expect(bucket.take()).toBe(0);
  });
});
