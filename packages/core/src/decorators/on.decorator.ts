import { ownerOfInstanceMethod } from './instance-method';
import { firstParamType, hasUntypedParams } from '../metadata/design-types';
import { metadataRegistry } from '../metadata/metadata-registry';
import type { Constructor, OnOptions } from '../metadata/options';

/**
 * Subscribes a method to events on an absolute subject pattern (`*` and `>` allowed).
 * Every instance gets every event unless `queue` is set. A handler that throws is logged;
 * the subscription goes on.
 *
 * @example
 * \@On('app.*.error')
 * onError(evt: unknown, ctx: Context) { ctx.log.warn({ evt }, 'error event'); }
 * @throws MeshError `INVALID_OPTIONS` when put on a static method or a get/set accessor.
 */
export function On(pattern: string, options: OnOptions = {}): MethodDecorator {
  return (prototype, method, descriptor) => {
    metadataRegistry.edit(ownerOfInstanceMethod(prototype, method, `@On('${pattern}')`, descriptor) as Constructor).events.push({
      method: String(method),
      pattern,
      options: { ...options },
      inputType: firstParamType(prototype, method),
      untyped: hasUntypedParams(prototype, method),
    });
  };
}
