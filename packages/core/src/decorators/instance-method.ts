import { MeshError } from '../errors/mesh-error';

/**
 * The class of a method decorator's target, which must be an instance method: on a static
 * method the decorator would be silently ignored (the instance has no such method), and an
 * accessor cannot be called with the input.
 *
 * @throws MeshError `INVALID_OPTIONS` naming the class, the method and the fix.
 */
export function ownerOfInstanceMethod(target: object, method: string | symbol, decorator: string, descriptor?: PropertyDescriptor): Function {
  if (typeof target === 'function') {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${decorator} is on the static method ${target.name}.${String(method)}: handlers run on the service instance; make it an instance method (drop "static").`,
    );
  }
  if (descriptor?.get !== undefined || descriptor?.set !== undefined) {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${decorator} is on the accessor ${target.constructor.name}.${String(method)} (a get or set): handlers are called with the input; make it a plain method.`,
    );
  }
  return target.constructor;
}
