import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import { isThenable } from '../runtime/is-thenable';
import { EXPIRED } from '../runtime/no-reply';
import { refusal } from '../runtime/refusal';
import type { Layer, Step } from './compose';
import type { MessageContext, MessageKind } from './message-context';
import type { Middleware, Next } from './middleware';
import { middlewareName } from './middleware-name';

/**
 * The layers one middleware adds to a server pipeline, outermost first: its guard, its
 * interceptor, its `handle` or `event` hook; none when it has no hook for this pipeline.
 */
export function serverLayers(mw: Middleware, kind: MessageKind): Layer<MessageContext>[] {
  const layers: Layer<MessageContext>[] = [];
  if (!appliesTo(mw, kind)) return layers;
  if (typeof mw.canActivate === 'function') layers.push(guardLayer(mw as Required<Pick<Middleware, 'canActivate'>>, middlewareName(mw)));
  if (typeof mw.before === 'function' || typeof mw.after === 'function' || typeof mw.error === 'function') layers.push(interceptorLayer(mw));
  const hook = kind === 'handle' ? mw.handle : mw.event;
  if (typeof hook === 'function') layers.push((ctx, next) => hook.call(mw, ctx, next));
  return layers;
}

/**
 * The server pipeline of one handler, composed once at boot: the layers of `middleware` (outermost
 * first) around `inner`, like {@link compose}, except that a `next()` called a second time for one
 * message throws instead of running the handler again (Koa does the same): a handler with side
 * effects must not run twice because of a middleware bug.
 */
export function serverPipeline(middleware: readonly Middleware[], kind: MessageKind, inner: Step<MessageContext>): Step<MessageContext> {
  const layers = middleware.flatMap((m) => serverLayers(m, kind));
  let step = inner;
  for (let i = layers.length - 1; i >= 0; i--) step = wrapOnce(layers[i], step);
  return step;
}

function wrapOnce(layer: Layer<MessageContext>, inner: Step<MessageContext>): Step<MessageContext> {
  return (ctx) => {
    let called = false;
    return layer(ctx, () => {
      if (called) throw nextTwice(ctx);
      called = true;
      return inner(ctx);
    });
  };
}

function nextTwice(ctx: MessageContext): MeshError {
  return new MeshError(
    'INTERNAL',
    `A middleware around the handler of "${ctx.subject}" called next() a second time: the handler runs once per message; call next() once and keep its result (to retry, retry inside the handler).`,
  );
}

/** True when the middleware has a hook for this server pipeline (a guard, an interceptor, or `handle`/`event`). */
export function appliesTo(mw: Middleware, kind: MessageKind): boolean {
  const hook = kind === 'handle' ? mw.handle : mw.event;
  return typeof mw.canActivate === 'function' || typeof mw.before === 'function' || typeof mw.after === 'function' || typeof mw.error === 'function' || typeof hook === 'function';
}

function guardLayer(mw: Required<Pick<Middleware, 'canActivate'>>, name: string): Layer<MessageContext> {
  return (ctx, next) => {
    const ok = mw.canActivate(ctx);
    if (ok === true) return next();
    if (isThenable(ok)) return Promise.resolve(ok).then((v) => (v === true ? next() : deny(ctx, name, v)));
    return deny(ctx, name, ok);
  };
}

// Fail closed, but say so when the guard's answer was no boolean (a user object, an Observable):
// a silent FORBIDDEN would send its author looking in the wrong place.
function deny(ctx: MessageContext, name: string, answer: unknown): never {
  if (answer !== false) {
    throw new MeshError('INTERNAL', `The guard ${name} answered ${describeValue(answer)} for "${ctx.subject}", not a boolean: make canActivate return true or false (the message was refused).`, {
      guard: name,
    });
  }
  const what = ctx.kind === 'handle' ? 'request' : 'event';
  throw refusal(
    new MeshError('FORBIDDEN', `The ${what} on "${ctx.subject}" was refused by the guard ${name}: the caller is not allowed to do this; check its credentials or permissions.`, {
      guard: name,
    }),
  );
}

// Kept synchronous when every part is: no promise unless `before`, the rest or `after` makes one.
function interceptorLayer(mw: Middleware): Layer<MessageContext> {
  const before = mw.before;
  const rest = (ctx: MessageContext, next: Next): unknown => {
    let out: unknown;
    try {
      out = next();
    } catch (err) {
      return failed(mw, ctx, err);
    }
    if (isThenable(out)) {
      return Promise.resolve(out).then(
        (value) => succeeded(mw, ctx, value),
        (err) => failed(mw, ctx, err),
      );
    }
    return succeeded(mw, ctx, out);
  };
  if (typeof before !== 'function') return rest;
  return (ctx, next) => {
    const b = before.call(mw, ctx);
    return isThenable(b) ? Promise.resolve(b).then(() => rest(ctx, next)) : rest(ctx, next);
  };
}

function succeeded(mw: Middleware, ctx: MessageContext, value: unknown): unknown {
  if (typeof mw.after !== 'function') return value;
  const changed = mw.after(ctx, value);
  if (isThenable(changed)) return Promise.resolve(changed).then((v) => (v === undefined ? value : v));
  return changed === undefined ? value : changed;
}

// A request dropped for its deadline is no failure to map: it passes by every error hook.
function failed(mw: Middleware, ctx: MessageContext, err: unknown): unknown {
  if (typeof mw.error !== 'function' || err === EXPIRED) throw err;
  const recovered = mw.error(ctx, err);
  if (isThenable(recovered)) {
    return Promise.resolve(recovered).then((v) => {
      if (v === undefined) throw err;
      return v;
    });
  }
  if (recovered === undefined) throw err;
  return recovered;
}
