/**
 * A request option, keyed by a symbol so it never collides with the user's options: the name of
 * the service that makes the call. `ctx.request` sets it to the handler's service, so route
 * rules can match on the caller (`match: [{ caller }]`).
 */
export const CALLER_OPTION: unique symbol = Symbol('natsmesh.caller');

/** Options that may carry {@link CALLER_OPTION}. */
export type WithCaller = { readonly [CALLER_OPTION]?: string };
