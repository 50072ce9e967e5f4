import 'reflect-metadata';
import { IsString } from 'class-validator';
import { injectable } from 'tsyringe';
import ts from 'typescript';
import { createApp } from '../app/create-app';
import { Handle } from '../decorators/handle.decorator';
import { On } from '../decorators/on.decorator';
import { Service } from '../decorators/service.decorator';
import { createLogger } from '../logging/logger';
import type { Constructor } from '../metadata/options';
import { scanService } from './service-scanner';

class SaveBooking {
  @IsString() guest!: string;
}

/** A service class decorated by hand, as code built by tsx or esbuild is: no `design:paramtypes`. */
function withoutMetadata(name: string, apply: (proto: object, method: string, desc: PropertyDescriptor) => void, method = function (input: unknown) {
  return input;
}): Constructor {
  const cls = class {} as Constructor;
  Object.defineProperty(cls, 'name', { value: name });
  Object.defineProperty(cls.prototype, 'm', { value: method, writable: true, configurable: true });
  apply(cls.prototype as object, 'm', Object.getOwnPropertyDescriptor(cls.prototype, 'm')!);
  Service(`nometa.${name.toLowerCase()}`)(cls);
  return cls;
}

const invalid = (message: RegExp) => expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(message) });

/** Transpiles one service module as tsc does with the given emitDecoratorMetadata and loads it. */
function compiled(emitDecoratorMetadata: boolean): Constructor {
  const source = `
    import { IsString } from 'class-validator';
    import { Handle, Service } from '../decorators/handle.decorator.bundle';
    class SaveBooking { @IsString() guest!: string; }
    @Service('built.booking')
    export class BuiltService {
      @Handle('save')
      save(input: SaveBooking) { return input; }
    }`;
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata },
  });
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  const load = (id: string): unknown => (id === '../decorators/handle.decorator.bundle' ? { Handle, Service } : require(id));
  new Function('require', 'module', 'exports', outputText)(load, mod, mod.exports);
  return mod.exports.BuiltService as Constructor;
}

describe('handlers compiled without decorator metadata', () => {
  it('fail at boot for @Handle with a parameter, naming the handler and the tsconfig fix', () => {
    const cls = withoutMetadata('Bare', (p, m, d) => Handle('save')(p, m, d));
    expect(() => scanService(cls)).toThrow(invalid(/^@Handle\('save'\) on Bare\.m .*"emitDecoratorMetadata": true.*build with tsc.*input: SaveBooking/));
  });

  it('fail at boot for @On and durable @On with a parameter', () => {
    for (const options of [{}, { queue: true }, { durable: 'audit' }]) {
      const cls = withoutMetadata('Listener', (p, m, d) => On('app.*.saved', options)(p, m, d));
      expect(() => scanService(cls)).toThrow(invalid(/@On\('app\.\*\.saved'\) on Listener\.m .*"emitDecoratorMetadata": true/));
    }
  });

  it('fail createApp, so no app ever starts with validation silently off', async () => {
    const cls = withoutMetadata('Booted', (p, m, d) => Handle('save')(p, m, d));
    await expect(createApp({ services: [cls], logger: createLogger({ level: 'silent' }) })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('pass with an explicit input: the DTO is validated, input: Object takes the JSON as it is', () => {
    const dto = withoutMetadata('Explicit', (p, m, d) => Handle('save', { input: SaveBooking })(p, m, d));
    expect(scanService(dto).endpoints[0].input).toBe(SaveBooking);
    const raw = withoutMetadata('Raw', (p, m, d) => On('app.raw', { input: Object })(p, m, d));
    expect(scanService(raw).subscriptions[0].input).toBeUndefined();
  });

  it('fail for an override decorated without metadata, even when the base method had some', () => {
    @Service('nometa.base')
    class Base {
      @Handle('save')
      save(input: SaveBooking) {
        return input;
      }
    }
    class Override extends Base {
      override save(input: SaveBooking) {
        return input;
      }
    }
    Handle('save')(Override.prototype, 'save', Object.getOwnPropertyDescriptor(Override.prototype, 'save')!);
    Service('nometa.override')(Override);
    expect(scanService(Base).endpoints[0].input).toBe(SaveBooking);
    expect(() => scanService(Override)).toThrow(invalid(/@Handle\('save'\) on Override\.save .*"emitDecoratorMetadata": true/));
  });

  it('pass when the handler takes no parameter', () => {
    const cls = withoutMetadata('NoArgs', (p, m, d) => Handle('ping')(p, m, d), function () {
      return 'pong';
    });
    expect(scanService(cls).endpoints[0]).toMatchObject({ name: 'ping', input: undefined });
  });

  it('are caught in a module really compiled with emitDecoratorMetadata off, and not when on', () => {
    expect(() => scanService(compiled(false))).toThrow(invalid(/@Handle\('save'\) on BuiltService\.save .*"emitDecoratorMetadata": true/));
    const input = scanService(compiled(true)).endpoints[0].input;
    expect(input?.name).toBe('SaveBooking');
  });

  it('fail at boot for a dependency whose constructor parameters have no type information', async () => {
    class Db {}
    class Repo {
      constructor(readonly db: Db) {}
    }
    injectable()(Repo);
    @Service('nometa.deps')
    class UsesRepo {
      constructor(readonly repo: Repo) {}
    }
    await expect(createApp({ services: [UsesRepo], logger: createLogger({ level: 'silent' }) })).rejects.toMatchObject({
      code: 'UNRESOLVED_DEPENDENCY',
      message: expect.stringMatching(/TypeInfo not known for "Repo".*"emitDecoratorMetadata": true/),
    });
  });

  it('fail at boot for a service whose constructor parameters have no type information', () => {
    const cls = class {
      constructor(readonly repo: object) {}
    };
    Service('nometa.ctor')(cls);
    expect(() => scanService(cls)).toThrow(expect.objectContaining({ code: 'UNRESOLVED_DEPENDENCY', message: expect.stringMatching(/"emitDecoratorMetadata"/) }));
  });
});
