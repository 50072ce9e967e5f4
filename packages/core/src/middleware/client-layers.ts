import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import type { CallContext } from './call-context';
import type { Layer } from './compose';
import type { EmitContext } from './emit-context';
import type { Middleware } from './middleware';
import { middlewareName } from './middleware-name';

/** The `call` layers of the middleware that have a `call` hook, in the order given (first = outermost). */
export function callLayers(list: readonly Middleware[]): Layer<CallContext>[] {
  return hookLayers<CallContext>(list, 'call');
}

/** The `emit` layers of the middleware that have an `emit` hook, in the order given (first = outermost). */
export function emitLayers(list: readonly Middleware[]): Layer<EmitContext>[] {
  return hookLayers<EmitContext>(list, 'emit');
}

function hookLayers<C>(list: readonly Middleware[], name: 'call' | 'emit'): Layer<C>[] {
  const layers: Layer<C>[] = [];
  for (const mw of list) {
    const hook = mw[name] as Layer<C> | undefined;
    if (typeof hook === 'function') layers.push((ctx, next) => hook.call(mw, ctx, next));
  }
  return layers;
}

/**
 * The layers of one call's or one emit's own `middleware` option: objects only (nothing builds
 * classes per call), each with the hook of that pipeline. Undefined for none or an empty list.
 *
 * @throws MeshError `INVALID_OPTIONS` for a value that is not an array, or an entry that is not an object with the hook.
 */
export function perCallLayers(value: unknown, hook: 'call', where: string): Layer<CallContext>[] | undefined;
export function perCallLayers(value: unknown, hook: 'emit', where: string): Layer<EmitContext>[] | undefined;
export function perCallLayers(value: unknown, hook: 'call' | 'emit', where: string): Layer<CallContext>[] | Layer<EmitContext>[] | undefined {
  const aHook = `${hook === 'emit' ? 'an' : 'a'} ${hook}`;
  if (!Array.isArray(value)) {
    throw new MeshError('INVALID_OPTIONS', `${where} option middleware is ${describeValue(value)}: pass an array of middleware objects with ${aHook} hook.`);
  }
  for (let i = 0; i < value.length; i++) {
    const mw: unknown = value[i];
    if (typeof mw !== 'object' || mw === null || typeof (mw as Middleware)[hook] !== 'function') {
      const what =
        typeof mw === 'object' && mw !== null ? `${middlewareName(mw)}, which has no ${hook} hook` : typeof mw === 'function' ? 'a function' : describeValue(mw);
      throw new MeshError(
        'INVALID_OPTIONS',
        `${where} option middleware[${i}] is ${what}: pass objects with ${aHook}(ctx, next) hook (a class goes in the client's or app's middleware, built once).`,
      );
    }
  }
  if (value.length === 0) return undefined;
  return hook === 'call' ? callLayers(value as Middleware[]) : emitLayers(value as Middleware[]);
}

const SERVER_HOOKS = ['canActivate', 'before', 'after', 'error', 'handle', 'event'] as const;

/**
 * Refuses client middleware that has neither a `call` nor an `emit` hook: its server hooks would
 * never run on a client.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the entry (`where middleware[i]`).
 */
export function checkClientHooks(list: readonly Middleware[], where: string): void {
  list.forEach((mw, i) => {
    if (typeof mw.call === 'function' || typeof mw.emit === 'function') return;
    const hooks = SERVER_HOOKS.filter((h) => typeof mw[h] === 'function').join(', ');
    throw new MeshError(
      'INVALID_OPTIONS',
      `${where} middleware[${i}] (${middlewareName(mw)}) has only server hooks (${hooks}), which never run on a client: ` +
        'put it in createApp({ middleware }) or @Use, or give it a call or emit hook.',
    );
  });
}
