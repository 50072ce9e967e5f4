/** The name a middleware is listed under: its `name` when a non-empty string, else its class name. */
export function middlewareName(mw: object): string {
  const own = (mw as { name?: unknown }).name;
  if (typeof own === 'string' && own.length > 0) return own;
  const ctor = (mw as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor !== Object && ctor.name !== '' ? ctor.name : 'anonymous';
}
