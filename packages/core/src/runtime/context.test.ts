import { Context, type ContextHost } from './context';

const host = {} as ContextHost;
const contextWithDeadline = (deadline: number) => new Context('ctx.unit.x', 'ctx.unit', 'x', deadline, { headers: undefined }, host);

describe('Context.signal', () => {
  it('is already aborted when first read after the deadline', () => {
    const signal = contextWithDeadline(Date.now() - 1).signal;
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('is not aborted at once for a deadline further away than a timer holds', async () => {
    const signal = contextWithDeadline(Date.now() + 3_000_000_000).signal;
    await new Promise((r) => setTimeout(r, 20));
    expect(signal.aborted).toBe(false);
  });
});
