import { inject } from 'tsyringe';
import { metadataRegistry } from '../metadata/metadata-registry';
import type { Constructor, Token } from '../metadata/options';

/**
 * Injects a constructor parameter by token instead of by type: needed for interfaces,
 * primitives and values registered with `providers`.
 *
 * @example
 * constructor(\@Inject('CONFIG') private readonly config: HotelConfig) {}
 */
export function Inject(token: Token): ParameterDecorator {
  const tsyringeInject = inject(token as never);
  return (target, key, index) => {
    tsyringeInject(target, key, index);
    metadataRegistry.edit(target as Constructor).injections.set(index, token);
  };
}
