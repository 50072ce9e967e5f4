import { CircuitBreaker, type CircuitEvent } from './circuit-breaker';

describe('CircuitBreaker', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('opens after consecutive failures, half-opens for one probe, closes on success', async () => {
    const events: string[] = [];
    const b = new CircuitBreaker('s', { consecutiveFailures: 3, halfOpenAfter: 50 }, (e: CircuitEvent) => events.push(`${e.previous}>${e.state}`));
    for (let i = 0; i < 2; i++) {
      expect(b.allow()).toBe(true);
      b.failure();
    }
    expect(b.current).toBe('closed');
    b.failure();
    expect(b.current).toBe('open');
    expect(b.allow()).toBe(false);
    await sleep(60);
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.success();
    expect(b.current).toBe('closed');
    expect(events).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('re-opens when the probe fails', async () => {
    const b = new CircuitBreaker('s', { consecutiveFailures: 1, halfOpenAfter: 20 }, () => undefined);
    b.failure();
    await sleep(30);
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.current).toBe('open');
    expect(b.allow()).toBe(false);
  });

  it('opens on the failure ratio of the window once it saw enough calls', () => {
    const b = new CircuitBreaker('s', { consecutiveFailures: 100, failureRatio: 0.5, minCalls: 10 }, () => undefined);
    for (let i = 0; i < 4; i++) {
      b.success();
      b.failure();
    }
    expect(b.current).toBe('closed');
    b.success();
    b.failure();
    expect(b.current).toBe('open');
  });
});
