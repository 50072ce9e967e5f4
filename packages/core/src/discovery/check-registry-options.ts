import { MeshError } from '../errors/mesh-error';
import { checkOptionalMillis, describeValue } from '../options/check-millis';
import type { RegistryOptions } from './mesh-registry';

/**
 * Checks the options of `client.registry()` before the registry starts.
 *
 * @throws MeshError `INVALID_OPTIONS` for options that are not an object, a `ttl` outside
 * 1 … 2^31-1 ms or a `bootstrapWait` outside 0 … 2^31-1 ms.
 */
export function checkRegistryOptions(options: RegistryOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw new MeshError('INVALID_OPTIONS', `registry options are ${describeValue(options)}: pass { ttl, bootstrapWait } or nothing.`);
  checkOptionalMillis(options.ttl, 'registry option ttl');
  checkOptionalMillis(options.bootstrapWait, 'registry option bootstrapWait', true);
}
