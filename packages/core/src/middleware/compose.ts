import type { Next } from './middleware';

/** One layer of a pipeline: a hook bound to its middleware. */
export type Layer<C> = (ctx: C, next: Next) => unknown;
/** A composed pipeline, or its innermost step. */
export type Step<C> = (ctx: C) => unknown;

/**
 * Nests the layers around `inner` once, at boot: the first layer is the outermost. A message
 * then costs one closure per layer for its `next`, and no array walk (Koa's dispatch(i) walks
 * an index per call).
 */
export function compose<C>(layers: readonly Layer<C>[], inner: Step<C>): Step<C> {
  let step = inner;
  for (let i = layers.length - 1; i >= 0; i--) step = wrap(layers[i], step);
  return step;
}

function wrap<C>(layer: Layer<C>, inner: Step<C>): Step<C> {
  return (ctx) => layer(ctx, () => inner(ctx));
}
