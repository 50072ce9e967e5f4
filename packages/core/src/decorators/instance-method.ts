import { MeshError } from '../errors/mesh-error';

/**
 * The class of a method decorator's target, which must be an instance method: on a static
 * method the decorator would be silently ignored (the instance has no such method).
 *
 * @throws MeshError `INVALID_OPTIONS` naming the class, the method and the fix.
 */
export function ownerOfInstanceMethod(target: object, method: string | symbol, decorator: string): Function {
  if (typeof target === 'function') {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${decorator} is on the static method ${target.name}.${String(method)}: handlers run on the service instance; make it an instance method (drop "static").`,
    );
  }
  return target.constructor;
}
