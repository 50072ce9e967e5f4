import { compose } from './compose';
import type { MessageContext } from './message-context';
import type { Middleware, Next } from './middleware';
import { serverLayers } from './server-layers';

const ctx = { kind: 'handle', subject: 's' } as unknown as MessageContext;

function pipeline(list: Middleware[], handler: () => unknown) {
  return compose(
    list.flatMap((m) => serverLayers(m, 'handle')),
    () => handler(),
  );
}

describe('server layers', () => {
  it('stay synchronous when the guard, the interceptor, the hook and the handler are', () => {
    const out = pipeline(
      [
        {
          canActivate: () => true,
          before: () => undefined,
          after: (_c: unknown, v: unknown) => (v as number) + 1,
          handle: (_c: unknown, next: Next) => (next() as number) * 10,
        },
      ],
      () => 4,
    )(ctx);
    expect(out).toBe(41);
  });

  it('run guard, then interceptor, then hook inside one middleware', async () => {
    const seen: string[] = [];
    const mw: Middleware = {
      canActivate: () => (seen.push('guard'), true),
      before: () => void seen.push('before'),
      after: () => void seen.push('after'),
      handle: (_c, next) => (seen.push('handle'), next()),
    };
    await pipeline([mw], () => seen.push('handler'))(ctx);
    expect(seen).toEqual(['guard', 'before', 'handle', 'handler', 'after']);
  });

  it('an error hook that returns undefined lets the original error through', () => {
    const boom = new Error('boom');
    const run = pipeline([{ error: () => undefined }], () => {
      throw boom;
    });
    expect(() => run(ctx)).toThrow(boom);
  });

  it('an error hook that returns a value answers with it, also for a rejection', async () => {
    const run = pipeline([{ error: () => 'recovered' }], () => Promise.reject(new Error('x')));
    await expect(run(ctx)).resolves.toBe('recovered');
  });
});
