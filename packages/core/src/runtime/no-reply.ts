/**
 * What a built-in `handle` middleware returns for a request nobody waits for any more (its
 * deadline passed before the handler ran): the route sends no reply and counts it as expired.
 */
export const NO_REPLY: unique symbol = Symbol('natsmesh.no-reply');
