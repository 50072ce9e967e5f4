/** True for promises and promise-like values a handler may return. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value instanceof Promise || (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function');
}
