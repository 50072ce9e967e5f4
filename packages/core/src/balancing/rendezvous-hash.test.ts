import { hashString, rendezvousScore } from './rendezvous-hash';

function owner(key: string, nodes: string[]): string {
  const k = hashString(key);
  let best = nodes[0];
  for (const n of nodes) if (rendezvousScore(k, hashString(n)) > rendezvousScore(k, hashString(best))) best = n;
  return best;
}

describe('rendezvous hashing', () => {
  it('spreads keys evenly and moves about 1/N of them when a node joins', () => {
    const three = ['a1', 'b2', 'c3'];
    const keys = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const before = keys.map((k) => owner(k, three));
    for (const n of three) expect(before.filter((o) => o === n).length).toBeGreaterThan(250);
    const after = keys.map((k) => owner(k, [...three, 'd4']));
    const moved = keys.filter((_, i) => before[i] !== after[i]);
    expect(moved.length).toBeGreaterThan(180);
    expect(moved.length).toBeLessThan(320);
    expect(new Set(moved.map((k) => after[keys.indexOf(k)]))).toEqual(new Set(['d4']));
  });
});
