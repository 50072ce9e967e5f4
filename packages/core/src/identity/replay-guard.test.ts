import { ReplayGuard } from './replay-guard';

describe('ReplayGuard', () => {
  it('accepts a nonce once within the window', () => {
    const g = new ReplayGuard(1000, 10);
    expect(g.check('a', 100, 100)).toBe('fresh');
    expect(g.check('a', 100, 200)).toBe('replay');
    expect(g.check('b', 150, 200)).toBe('fresh');
  });

  it('forgets nonces once they are older than the skew (the clock check refuses those)', () => {
    const g = new ReplayGuard(1000, 10);
    g.check('a', 100, 100);
    g.check('b', 2000, 2000);
    expect(g.size).toBe(1);
  });

  it('when full, evicts early and refuses every signature not newer than the evicted ones, so no replay slips through', () => {
    const g = new ReplayGuard(60_000, 2);
    expect(g.check('a', 100, 100)).toBe('fresh');
    expect(g.check('b', 200, 200)).toBe('fresh');
    expect(g.check('c', 300, 300)).toBe('fresh');
    expect(g.size).toBe(2);
    expect(g.check('a', 100, 400)).toBe('evicted');
    expect(g.check('late', 90, 400)).toBe('evicted');
    expect(g.check('b', 200, 400)).toBe('replay');
    expect(g.check('d', 400, 400)).toBe('fresh');
  });
});
