import { DeadlineQueue, type Expirable } from './deadline-queue';

interface Item extends Expirable {
  name: string;
}

describe('DeadlineQueue', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const item = (name: string, timeout: number): Item => ({ name, deadline: Date.now() + timeout, settled: false });

  it('expires unsettled items at their deadline, across timeout lanes, in deadline order', () => {
    const expired: string[] = [];
    const q = new DeadlineQueue<Item>((i) => expired.push(i.name));
    const a = item('a', 100);
    const b = item('b', 30);
    const c = item('c', 100);
    q.track(a, 100);
    q.track(b, 30);
    const laneC = q.track(c, 100);
    q.settle(c, laneC);
    jest.advanceTimersByTime(29);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['b']);
    jest.advanceTimersByTime(70);
    expect(expired).toEqual(['b', 'a']);
    jest.advanceTimersByTime(1000);
    expect(expired).toEqual(['b', 'a']);
  });

  it('never expires a settled item', () => {
    const expired: string[] = [];
    const q = new DeadlineQueue<Item>((i) => expired.push(i.name));
    const items = Array.from({ length: 5000 }, (_, n) => item(String(n), 50));
    const lanes = items.map((i) => q.track(i, 50));
    items.forEach((i, n) => n % 2 === 0 && q.settle(i, lanes[n]));
    jest.advanceTimersByTime(50);
    expect(expired.length).toBe(2500);
    expect(expired.every((n) => Number(n) % 2 === 1)).toBe(true);
  });

  it('clear() stops every pending expiry', () => {
    const expired: string[] = [];
    const q = new DeadlineQueue<Item>((i) => expired.push(i.name));
    q.track(item('a', 10), 10);
    q.clear();
    jest.advanceTimersByTime(100);
    expect(expired).toEqual([]);
  });
});
