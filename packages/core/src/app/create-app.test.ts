import 'reflect-metadata';
import { join } from 'node:path';
import { container as root, injectable } from 'tsyringe';
import { Handle } from '../decorators/handle.decorator';
import { Inject } from '../decorators/inject.decorator';
import { On } from '../decorators/on.decorator';
import { Service } from '../decorators/service.decorator';
import { MeshClient } from '../client/mesh-client';
import { MeshError } from '../errors/mesh-error';
import { createLogger } from '../logging/logger';
import { createApp } from './create-app';
import type { AppOptions } from './app-options';

const logger = createLogger({ level: 'silent' });
const boot = (options: AppOptions) => createApp({ logger, ...options });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return MeshError.is(err) ? err.code : `not a MeshError: ${String(err)}`;
  }
  return 'no error';
}

@injectable()
class Clock {
  now() {
    return 42;
  }
}

class NotInjectable {
  constructor(readonly x: Clock) {}
}

describe('createApp', () => {
  it('fails when two handlers share a subject, naming both', async () => {
    @Service('dup.a')
    class A {
      @Handle('x', { subject: 'shared.subject' })
      x() {}
    }
    @Service('dup.b')
    class B {
      @Handle('y', { subject: 'shared.subject' })
      y() {}
    }
    await expect(boot({ services: [A, B] })).rejects.toThrow(/A\.x and B\.y both handle "shared\.subject"/);
    expect(await codeOf(boot({ services: [A, B] }))).toBe('DUPLICATE_SUBJECT');
  });

  it('fails when two classes claim one service name', async () => {
    @Service('same.name')
    class One {}
    @Service('same.name')
    class Two {}
    expect(await codeOf(boot({ services: [One, Two] }))).toBe('INVALID_OPTIONS');
  });

  it('fails for a class without @Service, and for no services at all', async () => {
    class Plain {}
    expect(await codeOf(boot({ services: [Plain] }))).toBe('NOT_A_SERVICE');
    expect(await codeOf(boot({}))).toBe('INVALID_OPTIONS');
  });

  it('names the service, the parameter position and the fix when a dependency cannot be built', async () => {
    @Service('di.broken')
    class Broken {
      constructor(readonly dep: NotInjectable) {}
    }
    const err = await boot({ services: [Broken] }).catch((e: unknown) => e as MeshError);
    expect(err).toMatchObject({ code: 'UNRESOLVED_DEPENDENCY' });
    expect((err as Error).message).toMatch(/Cannot build service "di\.broken" \(Broken\).*position #0.*@injectable\(\)/);
  });

  it('builds each service once, with constructor injection by type and by token, and every provider kind', async () => {
    let factoryCalls = 0;
    class Config {
      constructor(readonly url = 'nats://x') {}
    }
    @Service('di.ok')
    class Ok {
      constructor(
        readonly clock: Clock,
        @Inject('GREETING') readonly greeting: string,
        @Inject('CONFIG') readonly config: Config,
        @Inject('COUNTER') readonly counter: { n: number },
        readonly client: MeshClient,
      ) {}
      @Handle('x')
      x() {}
    }
    const app = await boot({
      services: [Ok],
      providers: [
        { token: 'GREETING', useValue: 'hello' },
        { token: 'CONFIG', useClass: Config },
        { token: 'COUNTER', useFactory: () => ({ n: ++factoryCalls }) },
      ],
    });
    const ok = app.container.resolve(Ok);
    expect(ok).toBe(app.container.resolve(Ok));
    expect(ok.clock.now()).toBe(42);
    expect(ok.greeting).toBe('hello');
    expect(ok.config).toBeInstanceOf(Config);
    expect(app.container.resolve('CONFIG')).toBe(ok.config);
    expect(ok.counter).toEqual({ n: 1 });
    expect(ok.client).toBe(app.client);
    expect(factoryCalls).toBe(1);
  });

  it('shares one instance per app of each class the services depend on, down the graph', async () => {
    @injectable()
    class Store {
      readonly rows: string[] = [];
    }
    @injectable()
    class Repo {
      constructor(readonly store: Store) {}
    }
    @Service('share.a')
    class A {
      constructor(readonly repo: Repo, readonly store: Store) {}
    }
    @Service('share.b')
    class B {
      constructor(readonly repo: Repo) {}
    }
    const app = await boot({ services: [A, B] });
    const a = app.container.resolve(A);
    expect(a.repo).toBe(app.container.resolve(B).repo);
    expect(a.store).toBe(a.repo.store);
    expect(app.container.resolve(Store)).toBe(a.store);
    const other = await boot({ services: [A, B] });
    expect(other.container.resolve(A).repo).not.toBe(a.repo);
  });

  it('keeps each app in its own child container', async () => {
    @Service('di.iso')
    class Iso {}
    const a = await boot({ services: [Iso] });
    const b = await boot({ services: [Iso] });
    expect(a.container.resolve(Iso)).not.toBe(b.container.resolve(Iso));
    expect(root.isRegistered(Iso)).toBe(false);
  });

  it('rejects a malformed provider', async () => {
    @Service('di.bad')
    class Bad {}
    expect(await codeOf(boot({ services: [Bad], providers: [{ token: 'X' } as never] }))).toBe('INVALID_OPTIONS');
  });

  it('accepts durable subscriptions and checks their options at boot', async () => {
    @Service('durable.x')
    class D {
      @On('app.>', { durable: 'log' })
      on() {}
    }
    expect(await codeOf(boot({ services: [D] }))).toBe('no error');

    @Service('durable.bad')
    class Bad {
      @On('app.>', { durable: 'has.dot' })
      on() {}
    }
    expect(await codeOf(boot({ services: [Bad] }))).toBe('INVALID_OPTIONS');

    @Service('durable.wild')
    class Wild {
      @On('*.booking.save', { durable: 'w' })
      on() {}
    }
    expect(await codeOf(boot({ services: [Wild] }))).toBe('INVALID_OPTIONS');
    expect(await codeOf(boot({ services: [Wild], jetstream: { streams: [{ name: 'ALL', subjects: ['*.booking.>'] }] } }))).toBe('no error');

    @Service('durable.twice')
    class Twice {
      @On('app.a', { durable: 'same' })
      a() {}
      @On('app.b', { durable: 'same' })
      b() {}
    }
    expect(await codeOf(boot({ services: [Twice] }))).toBe('INVALID_OPTIONS');
  });

  it('rejects a maxPayload that is not a positive whole number of bytes', async () => {
    @Service('opt.mp')
    class M {}
    expect(await codeOf(boot({ services: [M], maxPayload: 0 }))).toBe('INVALID_OPTIONS');
    expect(await codeOf(boot({ services: [M], maxPayload: 1.5 }))).toBe('INVALID_OPTIONS');
    expect(await codeOf(boot({ services: [M], maxPayload: 1024 }))).toBe('no error');
  });

  it('checks resilience options and the instance id at boot', async () => {
    @Service('res.opts')
    class R {
      @Handle('get', { idempotent: true, retry: { attempts: 2 }, rateLimit: { rate: 10 }, bulkhead: { concurrency: 2, queue: 4 } })
      get() {}
    }
    expect(await codeOf(boot({ services: [R] }))).toBe('no error');
    expect((await boot({ services: [R] })).describe()[0].endpoints[0]).toMatchObject({
      idempotent: true,
      retry: { attempts: 2 },
      rateLimit: { rate: 10 },
      bulkhead: { concurrency: 2, queue: 4 },
    });
    expect(await codeOf(boot({ services: [R], instance: 'has.dot' }))).toBe('INVALID_OPTIONS');
    // A typo in an option object is refused, not ignored for the default.
    await expect(boot({ services: [R], instance: { id: 'i-1', region: 'eu' } as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/instance\.region is not an option.*id, zone/) });
    await expect(boot({ services: [R], discovery: { heartbeatIntervall: 1000 } as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringMatching(/discovery\.heartbeatIntervall is not an option.*heartbeatInterval/) });
    expect(await codeOf(boot({ services: [R], resilience: { bulkhead: { concurrency: 0 } } }))).toBe('INVALID_OPTIONS');
    expect(await codeOf(boot({ services: [R], strategy: 'random' as never }))).toBe('INVALID_OPTIONS');
    @Service('res.bad')
    class Bad {
      @Handle('get', { rateLimit: { rate: -1 } })
      get() {}
    }
    expect(await codeOf(boot({ services: [Bad] }))).toBe('INVALID_OPTIONS');
    @Service('res.never')
    class Never {
      @Handle('get', { retry: { retryOn: ['FORBIDDEN'] } })
      get() {}
    }
    expect(await codeOf(boot({ services: [Never] }))).toBe('INVALID_OPTIONS');
  });

  it('rejects non-positive timeouts', async () => {
    @Service('opt.t')
    class T {}
    expect(await codeOf(boot({ services: [T], timeout: -1 }))).toBe('INVALID_OPTIONS');
  });

  it('describes its services as plain JSON data', async () => {
    @Service('desc.svc', { version: '2.0.0', emits: ['app.desc.save'] })
    class Desc {
      @Handle('get', { description: 'get one' })
      get(input: Clock) {
        return input;
      }
      @On('app.*.error', { queue: true })
      on() {}
    }
    const app = await boot({ services: [Desc] });
    const described = app.describe();
    expect(JSON.parse(JSON.stringify(described))).toEqual(described);
    expect(described).toEqual([
      {
        name: 'desc.svc',
        version: '2.0.0',
        queue: 'desc.svc',
        metadata: {},
        calls: [],
        emits: [{ subject: 'app.desc.save' }],
        endpoints: [
          {
            name: 'get',
            subject: 'desc.svc.get',
            queue: 'desc.svc',
            input: 'Clock',
            description: 'get one',
            inputSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Clock', type: 'object' },
          },
        ],
        subscriptions: [{ pattern: 'app.*.error', method: 'on', queue: 'desc.svc.on' }],
      },
    ]);
  });

  describe('scan', () => {
    const cwd = join(__dirname, '../../test/fixtures');

    it('imports matching files and hosts every exported @Service, in a stable order', async () => {
      const app = await boot({ scan: '*.service.ts', cwd });
      expect(app.describe().map((d) => d.name)).toEqual(['fixture.guests', 'fixture.rooms']);
    });

    it('says so when the glob matches nothing, or no file exports a service', async () => {
      await expect(boot({ scan: 'nothing/*.js', cwd })).rejects.toThrow(/matched no file/);
      await expect(boot({ scan: 'helper.ts', cwd })).rejects.toThrow(/none exports a @Service class/);
    });
  });
});
