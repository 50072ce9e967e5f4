import type { Constructor } from '../metadata/options';

// Design types that are not DTOs: their payload is passed on as decoded JSON.
const BUILT_INS: ReadonlySet<unknown> = new Set<unknown>([
  Object, String, Number, Boolean, Array, Function, Symbol, BigInt, Promise, Date, Map, Set,
  Uint8Array, ArrayBuffer, Buffer, Error,
]);

/** True when a design type is a class of the user's: a DTO to validate, or a dependency to build. */
export function isUserClass(type: unknown): type is Constructor {
  return typeof type === 'function' && !BUILT_INS.has(type) && type.prototype !== undefined;
}
