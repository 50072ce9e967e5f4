import { Lifecycle, type DependencyContainer } from 'tsyringe';
import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import type { Constructor } from '../metadata/options';
import type { Middleware } from './middleware';
import { middlewareName } from './middleware-name';

const HOOKS = ['canActivate', 'before', 'after', 'error', 'handle', 'event', 'call', 'emit'] as const;

/**
 * Turns the middleware an app or client was given into instances, once, at boot: a class is
 * built by `container` (registered as one instance per container, so a class named at several
 * scopes is one object), an object is used as it is.
 *
 * @throws MeshError `INVALID_OPTIONS` for a list that is not an array or an entry without any
 * hook, `UNRESOLVED_DEPENDENCY` for a class that cannot be built.
 */
export class MiddlewareResolver {
  private readonly built = new Map<Constructor, Middleware>();

  constructor(private readonly container: DependencyContainer) {}

  /** The instances of `refs` (which may be undefined: none), checked; `where` names the scope in errors. */
  resolve(refs: unknown, where: string): Middleware[] {
    if (refs === undefined) return [];
    if (!Array.isArray(refs)) {
      const what = typeof refs === 'object' && refs !== null ? 'an object, not an array' : describeValue(refs);
      throw new MeshError('INVALID_OPTIONS', `${where} middleware is ${what}: pass an array of middleware objects or classes, middleware: [new Audit()].`);
    }
    return refs.map((ref: unknown, i) => this.one(ref, `${where} middleware[${i}]`));
  }

  private one(ref: unknown, where: string): Middleware {
    if (typeof ref === 'function') {
      if (!isClass(ref)) throw plainFunction(ref, where);
      return this.build(ref as Constructor<Middleware>, where);
    }
    if (typeof ref !== 'object' || ref === null) {
      throw new MeshError('INVALID_OPTIONS', `${where} is ${describeValue(ref)}: pass a middleware object or class (undefined is often a circular import).`);
    }
    checkHooks(ref as Middleware, where);
    return ref as Middleware;
  }

  private build(cls: Constructor<Middleware>, where: string): Middleware {
    let mw = this.built.get(cls);
    if (mw !== undefined) return mw;
    try {
      if (!this.container.isRegistered(cls, true)) this.container.register(cls, { useClass: cls }, { lifecycle: Lifecycle.Singleton });
      mw = this.container.resolve(cls);
    } catch (err) {
      if (MeshError.is(err)) throw err;
      throw new MeshError(
        'UNRESOLVED_DEPENDENCY',
        `Cannot build middleware ${cls.name} (${where}): ${(err as Error).message.replace(/\s+/g, ' ')}. ` +
          'Decorate it with @injectable() when its constructor takes parameters, and register what it injects in createApp({ providers }).',
        undefined,
        { cause: err },
      );
    }
    checkHooks(mw, where);
    this.built.set(cls, mw);
    return mw;
  }
}

/** The names of middleware as `describe()` lists them. */
export function middlewareNames(list: readonly Middleware[]): string[] {
  return list.map(middlewareName);
}

// Koa, Express and tRPC users pass `(ctx, next) => …`: that is a function, not a class to build.
function isClass(fn: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

function plainFunction(fn: Function, where: string): MeshError {
  return new MeshError(
    'INVALID_OPTIONS',
    `${where} is a function${fn.name ? ` (${fn.name})` : ''}, not a middleware: a middleware is an object with hooks, ` +
      '{ handle(ctx, next) { return next(); } }, or a class with such methods (built by dependency injection).',
  );
}

function checkHooks(mw: Middleware, where: string): void {
  if (HOOKS.some((h) => typeof mw[h] === 'function')) return;
  throw new MeshError('INVALID_OPTIONS', `${where} (${middlewareName(mw)}) has no hook: give it one of ${HOOKS.join(', ')}.`);
}
