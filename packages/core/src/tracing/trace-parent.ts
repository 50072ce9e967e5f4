/**
 * Key of the option by which `ctx.request` and `ctx.emit` hand the handler's span context to the
 * client, so what a handler sends is a child of its span even without a context manager. A symbol:
 * no user option can collide with it, and spreading options keeps it.
 */
export const TRACE_PARENT: unique symbol = Symbol('natsmesh.trace-parent');

/** Options that may carry {@link TRACE_PARENT}. */
export type WithTraceParent = { readonly [TRACE_PARENT]?: unknown };

/** The parent span context a call or emit was given, if any. */
export function traceParentOf(options: object | undefined): unknown {
  return (options as WithTraceParent | undefined)?.[TRACE_PARENT];
}
