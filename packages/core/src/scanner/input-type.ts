import { MeshError } from '../errors/mesh-error';
import type { Constructor } from '../metadata/options';
import { isUserClass } from './user-class';

/** What a handler decorator recorded about its input. */
export interface InputSource {
  /** The `input` option, if given. */
  readonly explicit: Constructor | undefined;
  /** The design type of the first parameter. */
  readonly designType: unknown;
  /** True when the method takes parameters but the compiler emitted no design types for them. */
  readonly untyped: boolean;
}

/**
 * The DTO class a handler's input is validated against, or undefined for JSON taken as it is.
 * An explicit `input` wins (`input: Object` opts out of validation); without one the first
 * parameter's design type decides, and a method whose types were never emitted fails here
 * rather than letting unchecked input through.
 *
 * @throws MeshError `INVALID_OPTIONS` when the method has parameters, no `input` option and no design types.
 */
export function inputClassOf(where: string, source: InputSource): Constructor | undefined {
  if (source.explicit !== undefined) return isUserClass(source.explicit) ? source.explicit : undefined;
  if (source.untyped) {
    throw new MeshError(
      'INVALID_OPTIONS',
      `${where} takes an input parameter, but no type information was emitted for it, so its input would not be validated: ` +
        'set "emitDecoratorMetadata": true and "experimentalDecorators": true in tsconfig and build with tsc (tsx and esbuild emit none), ' +
        'or name the input class in the decorator (input: SaveBooking, or input: Object for JSON taken as it is).',
    );
  }
  return isUserClass(source.designType) ? source.designType : undefined;
}
