import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { MeshError } from '../errors/mesh-error';
import type { Constructor } from '../metadata/options';

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
 * Compiles, once at boot, the validator of a DTO class: class-transformer builds the
 * instance, class-validator checks it. DTOs without async or nested constraints validate
 * synchronously, which saves a promise per message.
 */
export function compileDtoValidator(dto: Constructor, options: ValidatorOptions = {}): DtoValidator {
  const opts: ValidatorOptions = {
    forbidUnknownValues: true,
    ...options,
    validationError: { target: false, value: false },
  };
  const build = (value: unknown): object => {
    if (value === undefined) value = {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MeshError('VALIDATION_FAILED', `Expected a JSON object for ${dto.name}, got ${describe(value)}.`, []);
    }
    return plainToInstance(dto, value) as object;
  };
  if (needsAsync(dto)) {
    return async (value) => {
      const instance = build(value);
      return check(dto, instance, await validate(instance, opts));
    };
  }
  return (value) => {
    const instance = build(value);
    return check(dto, instance, validateSync(instance, opts));
  };
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

function needsAsync(dto: Constructor): boolean {
  const storage = getMetadataStorage();
  return storage
    .getTargetValidationMetadatas(dto, '', true, false)
    .some(
      (m) =>
        m.type === 'nestedValidation' ||
        (m.type === 'customValidation' && m.constraintCls !== undefined &&
          storage.getTargetValidatorConstraints(m.constraintCls).some((c) => c.async)),
    );
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
