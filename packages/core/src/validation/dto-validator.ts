import type { ValidationError, ValidatorOptions } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { MeshError } from '../errors/mesh-error';
import { classChain } from '../metadata/class-chain';
import type { Constructor } from '../metadata/options';
import { compileFastCheck } from './fast-check';
import { nestingOverflowAsBadRequest } from './nesting-overflow';
import { classTransformer, classTransformerStorage, classValidator } from './lazy-modules';

/** One failed field of a `VALIDATION_FAILED` error's details. */
export interface FieldError {
  /** Dot path of the field, e.g. `guest.email` or `rooms.0.number`. */
  readonly field: string;
  /** Constraint name → message, as class-validator reports them. */
  readonly constraints: Readonly<Record<string, string>>;
}

/** Turns decoded JSON into a validated DTO instance, synchronously when it can. */
export type DtoValidator = (value: unknown) => object | Promise<object>;

/**
 * Compiles, once at boot, the validator of a DTO class: the instance is built (through
 * class-transformer only when the class has class-transformer decorators), then checked.
 * What can be decided here is: a DTO without constraints is not validated at all, one
 * whose constraints are simple gets a compiled check, one without async or nested
 * constraints is validated without a promise. Input nested deeper than the stack allows is
 * the client's fault: `BAD_REQUEST`, not a server error.
 *
 * The validator throws MeshError `VALIDATION_FAILED` or `BAD_REQUEST` (nested too deeply).
 */
export function compileDtoValidator(dto: Constructor, options: ValidatorOptions = {}): DtoValidator {
  const opts: ValidatorOptions = { forbidUnknownValues: true, ...options, validationError: { target: false, value: false } };
  const build = instanceBuilder(dto);
  const cv = classValidator();
  const metadatas = cv.getMetadataStorage().getTargetValidationMetadatas(dto, '', opts.always ?? false, opts.strictGroups ?? false, opts.groups);
  // A class with no constraint is a type, not a contract: class-validator would reject every
  // instance of it as an "unknown value".
  if (metadatas.length === 0) return build;
  if (needsAsync(metadatas)) {
    return async (value) => {
      try {
        const instance = build(value);
        return check(dto, instance, await cv.validate(instance, opts));
      } catch (err) {
        throw nestingOverflowAsBadRequest(dto, err);
      }
    };
  }
  const fast = compileFastCheck(dto, options);
  return (value) => {
    try {
      const instance = build(value);
      if (fast !== undefined && fast(instance)) return instance;
      return check(dto, instance, cv.validateSync(instance, opts));
    } catch (err) {
      throw nestingOverflowAsBadRequest(dto, err);
    }
  };
}

function instanceBuilder(dto: Constructor): (value: unknown) => object {
  const transform = hasTransformerMetadata(dto);
  const { plainToInstance } = transform ? classTransformer() : { plainToInstance: undefined };
  return (input) => {
    const value: unknown = input === undefined ? {} : input;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MeshError('VALIDATION_FAILED', `Expected a JSON object for ${dto.name}, got ${describe(value)}.`, []);
    }
    // Without @Type/@Expose/@Exclude/@Transform, plainToInstance amounts to this copy, at a sixth of the cost.
    return plainToInstance === undefined ? copyInto(new dto() as object, value) : (plainToInstance(dto, value) as object);
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

// Object.assign would run the "__proto__" setter for an own "__proto__" key (JSON.parse makes
// one) and replace the instance's prototype. Skip it and "constructor", as class-transformer does.
function copyInto(instance: object, value: object): object {
  if (!hasOwn.call(value, '__proto__') && !hasOwn.call(value, 'constructor')) return Object.assign(instance, value);
  for (const key of Object.keys(value)) {
    if (key !== '__proto__' && key !== 'constructor') (instance as Record<string, unknown>)[key] = (value as Record<string, unknown>)[key];
  }
  return instance;
}

// The private maps of class-transformer's storage, keyed by class.
interface TransformerMaps {
  _typeMetadatas?: Map<unknown, unknown>;
  _transformMetadatas?: Map<unknown, unknown>;
  _exposeMetadatas?: Map<unknown, unknown>;
  _excludeMetadatas?: Map<unknown, unknown>;
}

// class-transformer keeps its decorator metadata in maps keyed by class; any entry on the
// class or an ancestor means it must do the building. An unexpected storage shape answers yes.
function hasTransformerMetadata(dto: Constructor): boolean {
  let storage: TransformerMaps;
  try {
    storage = classTransformerStorage() as unknown as TransformerMaps;
  } catch {
    return true;
  }
  const maps = [storage._typeMetadatas, storage._transformMetadatas, storage._exposeMetadatas, storage._excludeMetadatas];
  if (maps.some((m) => !(m instanceof Map))) return true;
  return classChain(dto).some((c) => maps.some((m) => m!.has(c)));
}

function check(dto: Constructor, instance: object, errors: ValidationError[]): object {
  if (errors.length === 0) return instance;
  const fields = flatten(errors, '');
  const summary = fields.flatMap((f) => Object.values(f.constraints)).join('; ');
  throw new MeshError<FieldError[]>('VALIDATION_FAILED', `Invalid ${dto.name}: ${summary}.`, fields);
}

function flatten(errors: readonly ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix + e.property;
    const own = e.constraints ? [{ field, constraints: { ...e.constraints } }] : [];
    return e.children?.length ? [...own, ...flatten(e.children, `${field}.`)] : own;
  });
}

function needsAsync(metadatas: readonly ValidationMetadata[]): boolean {
  const storage = classValidator().getMetadataStorage();
  return metadatas.some(
    (m) =>
      m.type === 'nestedValidation' ||
      (m.type === 'customValidation' && m.constraintCls !== undefined &&
        storage.getTargetValidatorConstraints(m.constraintCls).some((c) => c.async)),
  );
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
