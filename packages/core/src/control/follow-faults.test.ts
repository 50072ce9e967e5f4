import { followFaults } from './follow-faults';
import { NO_RULES, type FaultRule, type MeshRules, type RulesView } from './rules-model';

/** A view over a plain MeshRules object, changed by `set` (what the store's watcher does on a KV change). */
function plainView(rules: MeshRules = NO_RULES): RulesView & { set(r: MeshRules): void } {
  const listeners = new Set<(r: MeshRules) => void>();
  let now = rules;
  return {
    current: () => now,
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    set(r) {
      now = r;
      for (const l of listeners) l(r);
    },
  };
}

const faultUntil = (name: string, expiresAt: number): FaultRule => ({ name, service: 'svc', expiresAt, abort: { code: 'UNAVAILABLE', percent: 100 } });

describe('following the faults of a rules view', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('applies the rules read at once, then each change', () => {
    const view = plainView({ ...NO_RULES, faults: [faultUntil('a', 2_000_000)] });
    const seen: string[][] = [];
    const stop = followFaults(view, (faults) => seen.push(faults.map((f) => f.name)));
    view.set({ ...NO_RULES, faults: [faultUntil('b', 2_000_000)] });
    stop();
    view.set(NO_RULES);
    expect(seen).toEqual([['a'], ['b']]);
  });

  it('applies them again when a fault expires, without any change of the view', () => {
    const view = plainView({ ...NO_RULES, faults: [faultUntil('soon', 1_000_500), faultUntil('later', 1_002_000)] });
    const times: number[] = [];
    const stop = followFaults(view, (_faults, now) => times.push(now));
    jest.advanceTimersByTime(499);
    expect(times).toEqual([1_000_000]);
    jest.advanceTimersByTime(2);
    expect(times).toHaveLength(2);
    expect(times[1]).toBeGreaterThan(1_000_500);
    jest.advanceTimersByTime(1_500);
    expect(times).toHaveLength(3);
    expect(times[2]).toBeGreaterThan(1_002_000);
    jest.advanceTimersByTime(60_000);
    expect(times).toHaveLength(3);
    stop();
  });

  it('sets no timer once stopped', () => {
    const view = plainView({ ...NO_RULES, faults: [faultUntil('soon', 1_000_500)] });
    const stop = followFaults(view, () => undefined);
    stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});
