import { MeshError } from '../errors/mesh-error';
import { describeValue } from '../options/check-millis';
import { metadataRegistry } from '../metadata/metadata-registry';
import type { Constructor } from '../metadata/options';
import type { MiddlewareRef } from '../middleware/middleware';

/**
 * Puts middleware on every endpoint and event handler of a service (on the class) or on one
 * handler (on a `@Handle` or `@On` method), as NestJS's `@UseGuards`/`@UseInterceptors` do.
 * Classes are built by the app's dependency-injection container, once per app. On the way in,
 * app middleware runs first, then the service's, then the handler's, each list in the order given.
 *
 * @example
 * \@Service('hotel.booking')
 * \@Use(AuditInterceptor)
 * class BookingService {
 *   \@Handle('cancel')
 *   \@Use(StaffOnly)
 *   cancel(input: CancelBooking) { … }
 * }
 * @throws MeshError `INVALID_OPTIONS` for an entry that is not a middleware object or class
 * (`undefined` is usually a circular import), or when put on a static method or an accessor.
 */
export function Use(...middleware: MiddlewareRef[]): ClassDecorator & MethodDecorator {
  return ((target: object, method?: string | symbol, descriptor?: PropertyDescriptor) => {
    const owner = typeof target === 'function' ? target.name : target.constructor.name;
    const where = method === undefined ? `@Use on ${owner}` : `@Use on ${owner}.${String(method)}`;
    checkRefs(middleware, where);
    if (method === undefined) {
      metadataRegistry.edit(target as Constructor).use.push(...middleware);
      return;
    }
    if (typeof target === 'function' || descriptor?.get !== undefined || descriptor?.set !== undefined) {
      throw new MeshError('INVALID_OPTIONS', `${where} is not on an instance method: put @Use on the class or on a @Handle or @On method.`);
    }
    const uses = metadataRegistry.edit(target.constructor as Constructor).methodUse;
    const name = String(method);
    uses.set(name, [...(uses.get(name) ?? []), ...middleware]);
  }) as ClassDecorator & MethodDecorator;
}

function checkRefs(refs: readonly unknown[], where: string): void {
  if (refs.length === 0) throw new MeshError('INVALID_OPTIONS', `${where} names no middleware: pass middleware objects or classes, @Use(AuthGuard).`);
  refs.forEach((ref, i) => {
    if (typeof ref === 'function' || (typeof ref === 'object' && ref !== null)) return;
    throw new MeshError(
      'INVALID_OPTIONS',
      `${where}: entry ${i} is ${describeValue(ref)}, not a middleware object or class` +
        (ref === undefined ? ' (a class used before it is defined, often a circular import: move it to its own module)' : '') +
        '.',
    );
  });
}
