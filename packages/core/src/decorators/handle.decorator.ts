import { ownerOfInstanceMethod } from './instance-method';
import { firstParamType, hasUntypedParams } from '../metadata/design-types';
import { metadataRegistry } from '../metadata/metadata-registry';
import type { Constructor, HandleOptions } from '../metadata/options';

/**
 * Makes a method answer requests on `${service}.${endpoint}`, load-balanced over the
 * service's instances through a NATS queue group. The first parameter is the decoded
 * input (validated when its type is a class), the second the {@link Context}; the return
 * value is the reply.
 *
 * @example
 * \@Handle('save', { timeout: 2000 })
 * async save(input: SaveBooking, ctx: Context) { return { id: 1 }; }
 * @throws MeshError `INVALID_OPTIONS` when put on a static method or a get/set accessor.
 */
export function Handle(endpoint: string, options: HandleOptions = {}): MethodDecorator {
  return (prototype, method, descriptor) => {
    metadataRegistry.edit(ownerOfInstanceMethod(prototype, method, `@Handle('${endpoint}')`, descriptor) as Constructor).handlers.push({
      method: String(method),
      endpoint,
      options: { ...options },
      inputType: firstParamType(prototype, method),
      untyped: hasUntypedParams(prototype, method),
    });
  };
}
