import 'reflect-metadata';
import { Handle } from '../decorators/handle.decorator';
import { On } from '../decorators/on.decorator';
import { Service } from '../decorators/service.decorator';
import { MeshError } from '../errors/mesh-error';
import { createLogger } from '../logging/logger';
import { createApp } from './create-app';
import type { AppOptions } from './app-options';

const logger = createLogger({ level: 'silent' });
const MAX_TIMER = 2 ** 31 - 1;

@Service('opts.svc')
class Svc {
  @Handle('ping')
  ping() {
    return 'pong';
  }
}

async function errorOf(p: Promise<unknown>): Promise<MeshError> {
  try {
    await p;
  } catch (err) {
    if (MeshError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a MeshError');
}

describe('createApp checks every option at the boundary', () => {
  it.each<[string, AppOptions, string]>([
    ['timeout above 2^31-1', { timeout: MAX_TIMER + 1 }, 'timeout'],
    ['drainTimeout above 2^31-1', { drainTimeout: MAX_TIMER + 1 }, 'drainTimeout'],
    ['heartbeatInterval above 2^31-1', { discovery: { heartbeatInterval: MAX_TIMER + 1 } }, 'discovery.heartbeatInterval'],
    ['a breaker failureRatio above 1', { resilience: { breaker: { failureRatio: 2 } } }, 'failureRatio'],
    ['a breaker halfOpenAfter above 2^31-1', { resilience: { breaker: { halfOpenAfter: MAX_TIMER + 1 } } }, 'halfOpenAfter'],
    ['a negative budget ratio', { resilience: { budget: { ratio: -1 } } }, 'ratio'],
    ['a zero throttle rate', { resilience: { throttle: { rate: 0 } } }, 'throttle'],
    ['a retry attempts of 0', { resilience: { retry: { attempts: 0 } } }, 'attempts'],
    ['an unknown strategy', { strategy: 'random' as never }, 'strategy'],
    ['services that are not a list', { services: Svc as never }, 'services'],
    ['scan that is a number', { scan: 5 as never }, 'scan'],
    ['providers that are not a list', { providers: 'x' as never }, 'providers'],
    ['an instance that is a number', { instance: 5 as never }, 'instance'],
    ['validation that is a number', { validation: 5 as never }, 'validation'],
    ['jetstream that is a number', { jetstream: 5 as never }, 'jetstream'],
    ['nats that is a number', { nats: 5 as never }, 'nats'],
    ['a nats nkeySeed that is not a seed', { nats: { nkeySeed: 'SUbogus', servers: 'nats://127.0.0.1:1' } }, 'nkeySeed'],
    ['a retry attemptTimeout of 0', { resilience: { retry: { attemptTimeout: 0 } } }, 'attemptTimeout'],
    ['a retryOn entry that is not a code string', { resilience: { retry: { retryOn: [5 as unknown as string, ''] } } }, 'not error codes'],
  ])('%s → INVALID_OPTIONS naming the option', async (_what, options, name) => {
    const err = await errorOf(createApp({ services: [Svc], logger, ...options }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain(name);
  });

  it("accepts a service's own error code in retryOn", async () => {
    const app = await createApp({ services: [Svc], logger, resilience: { retry: { retryOn: ['TIMEOUT', 'OUT_OF_STOCK'] } } });
    expect(app.describe().length).toBeGreaterThan(0);
  });

  it('names the allowed range of a timeout', async () => {
    const err = await errorOf(createApp({ services: [Svc], logger, timeout: MAX_TIMER + 1 }));
    expect(err.message).toContain('2147483647');
  });

  it('@Handle timeout above 2^31-1 fails at boot with the range', async () => {
    @Service('opts.slow')
    class Slow {
      @Handle('x', { timeout: MAX_TIMER + 1 })
      x() {
        return 1;
      }
    }
    const err = await errorOf(createApp({ services: [Slow], logger }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('@Handle');
    expect(err.message).toContain('2147483647');
  });
});

function thrownBy(decorate: () => unknown): unknown {
  try {
    decorate();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('decorators in the wrong place', () => {
  it('@Handle on a getter is refused when the decorator runs', () => {
    const err = thrownBy(() => {
      @Service('opts.getter')
      class Getter {
        @Handle('x')
        get x() {
          return 1 as never;
        }
      }
      return Getter;
    });
    expect(MeshError.is(err) && err.code).toBe('INVALID_OPTIONS');
    expect((err as Error).message).toContain('Getter.x');
  });

  it('two @Service decorators on one class are refused naming the class', () => {
    const err = thrownBy(() => {
      @Service('opts.twice1')
      @Service('opts.twice2')
      class Twice {}
      return Twice;
    });
    expect(MeshError.is(err) && err.code).toBe('INVALID_OPTIONS');
    expect((err as Error).message).toContain('Twice');
  });
});

describe('decorators on static methods', () => {
  const decorate = {
    '@Handle': () => {
      @Service('opts.static')
      class Static {
        @Handle('x')
        static x() {
          return 1;
        }
      }
      return Static;
    },
    '@On': () => {
      class Static {
        @On('opts.evt')
        static x() {
          return 1;
        }
      }
      return Static;
    },
  };

  it.each(Object.keys(decorate) as (keyof typeof decorate)[])('%s on a static method is a clear error, not silently ignored', (decorator) => {
    let err: unknown;
    try {
      decorate[decorator]();
    } catch (e) {
      err = e;
    }
    expect(MeshError.is(err) && err.code).toBe('INVALID_OPTIONS');
    expect((err as Error).message).toContain(`${decorator}(`);
    expect((err as Error).message).toContain('static method Static.x');
  });
});
