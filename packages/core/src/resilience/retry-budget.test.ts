import { RetryBudget } from './retry-budget';

describe('RetryBudget', () => {
  it('allows retries up to ratio × first attempts plus the minimum, then refuses', () => {
    const budget = new RetryBudget({ ratio: 0.2, minRetries: 3, window: 60_000 });
    for (let i = 0; i < 100; i++) budget.first();
    let allowed = 0;
    for (let i = 0; i < 500; i++) if (budget.tryRetry()) allowed++;
    expect(allowed).toBe(23);
  });

  it('frees the budget once the window has slid past', async () => {
    const budget = new RetryBudget({ ratio: 0, minRetries: 1, window: 50 });
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    await new Promise((r) => setTimeout(r, 70));
    expect(budget.tryRetry()).toBe(true);
  });
});
