import { LiveRules } from './live-rules';
import { NO_RULES, type FaultRule, type MeshRules } from './rules-model';

describe('LiveRules', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const fault = (name: string, expiresAt: number): FaultRule => ({ name, service: 'a', abort: { code: 'UNAVAILABLE', percent: 5 }, expiresAt });

  it('drops each fault at its expiresAt, by one timer, and tells the listeners', () => {
    const live = new LiveRules();
    const seen: MeshRules[] = [];
    live.onChange((r) => seen.push(r));
    live.replace([
      { key: 'fault.late', kind: 'fault', rule: fault('late', 1_002_000) },
      { key: 'fault.soon', kind: 'fault', rule: fault('soon', 1_001_000) },
      { key: 'fault.gone', kind: 'fault', rule: fault('gone', 999_000) },
    ]);
    expect(live.current().faults.map((f) => f.name)).toEqual(['late', 'soon']);
    jest.advanceTimersByTime(999);
    expect(seen).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(live.current().faults.map((f) => f.name)).toEqual(['late']);
    jest.advanceTimersByTime(1000);
    expect(live.current()).toBe(NO_RULES);
    expect(seen).toHaveLength(3);
    expect(jest.getTimerCount()).toBe(0);
    live.stop();
  });

  it('hands out a frozen snapshot, and a listener that throws does not stop the others', () => {
    const live = new LiveRules();
    const errors: unknown[] = [];
    live.onListenerError = (err) => errors.push(err);
    const calls: string[] = [];
    live.onChange(() => {
      throw new Error('boom');
    });
    const stop = live.onChange(() => calls.push('second'));
    live.replace([{ key: 'route.a', kind: 'route', rule: { service: 'a', weights: { '1': 100 } } }]);
    expect(Object.isFrozen(live.current())).toBe(true);
    expect(Object.isFrozen(live.current().routes)).toBe(true);
    expect(calls).toEqual(['second']);
    expect(errors).toEqual([new Error('boom')]);
    stop();
    live.replace([]);
    expect(calls).toEqual(['second']);
  });
});
