import { MeshError } from '../errors/mesh-error';
import type { Constructor } from '../metadata/options';

/**
 * What to throw for an error raised while building or validating a DTO from client input:
 * a stack overflow (class-transformer and class-validator recurse once per nesting level)
 * becomes `BAD_REQUEST`, since the client sent the depth; anything else is returned as it is.
 */
export function nestingOverflowAsBadRequest(dto: Constructor, err: unknown): unknown {
  if (!(err instanceof RangeError) || !/call stack/i.test(err.message)) return err;
  return new MeshError('BAD_REQUEST', `The ${dto.name} input is nested too deeply to validate: send a flatter body.`, undefined, { cause: err });
}
