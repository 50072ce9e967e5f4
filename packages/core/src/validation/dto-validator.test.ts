import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  ValidateIf,
  IsString,
  Min,
  ValidateNested,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { MeshError } from '../errors/mesh-error';
import { compileDtoValidator } from './dto-validator';

class Guest {
  @IsString() name!: string;
}

class SaveBooking {
  @IsInt() @Min(1) room!: number;
  @ValidateNested() @Type(() => Guest) guest!: Guest;
}

class Flat {
  @IsString() guest!: string;
  @IsInt() nights = 1;
}

@ValidatorConstraint({ async: true })
class FreeRoom implements ValidatorConstraintInterface {
  async validate(room: number) {
    return room !== 13;
  }
  defaultMessage() {
    return 'room 13 is never free';
  }
}

class AsyncDto {
  @Validate(FreeRoom) room!: number;
}

function failure(fn: () => unknown): MeshError {
  try {
    fn();
  } catch (err) {
    if (MeshError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('compileDtoValidator', () => {
  it('returns an instance of the DTO with defaults kept, synchronously for plain DTOs', () => {
    const validate = compileDtoValidator(Flat);
    const out = validate({ guest: 'Ann' });
    expect(out).toBeInstanceOf(Flat);
    expect(out).toEqual(Object.assign(new Flat(), { guest: 'Ann', nights: 1 }));
  });

  it('reports every failed field with a dot path, nested ones included', async () => {
    const validate = compileDtoValidator(SaveBooking);
    await expect(validate({ room: 0, guest: { name: 5 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      details: [
        { field: 'room', constraints: { min: 'room must not be less than 1' } },
        { field: 'guest.name', constraints: { isString: 'name must be a string' } },
      ],
    });
  });

  it('treats an empty payload as an empty object and lists the missing fields', () => {
    const err = failure(() => compileDtoValidator(Flat)(undefined));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect((err.details as { field: string }[]).map((d) => d.field)).toEqual(['guest']);
  });

  it.each([[null], [5], ['text'], [[1, 2]]])('rejects %p where an object is expected', (value) => {
    const err = failure(() => compileDtoValidator(Flat)(value));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toMatch(/Expected a JSON object for Flat/);
  });

  it('runs async constraints', async () => {
    const validate = compileDtoValidator(AsyncDto);
    await expect(validate({ room: 13 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: 'Invalid AsyncDto: room 13 is never free.' });
    await expect(validate({ room: 12 })).resolves.toBeInstanceOf(AsyncDto);
  });

  it('does not coerce types', () => {
    expect(failure(() => compileDtoValidator(Flat)({ guest: 'Ann', nights: '2' })).code).toBe('VALIDATION_FAILED');
  });
});

describe('compileDtoValidator, decided at boot', () => {
  class Optional {
    @IsString() name!: string;
    @IsOptional() @IsInt() @Min(1) age?: number;
    @ValidateIf((o: Optional) => o.name === 'strict') @IsInt() code?: number;
  }

  it.each([
    [{ name: 'a' }, []],
    [{ name: 'a', age: 3 }, []],
    [{ name: 'a', age: 0 }, ['age']],
    [{ name: 'a', age: null }, []],
    [{ name: 5 }, ['name']],
    [{ name: 'a', code: 'x' }, []],
    [{ name: 'strict', code: 'x' }, ['code']],
    [{ name: 'strict', code: 2 }, []],
  ])('the compiled check agrees with class-validator on %p', (value, failed) => {
    const fields = (() => {
      try {
        compileDtoValidator(Optional)(value);
        return [];
      } catch (err) {
        return ((err as MeshError).details as { field: string }[]).map((d) => d.field);
      }
    })();
    expect(fields).toEqual(failed);
  });

  it('builds instances without class-transformer when the DTO has no transformer decorators, and with it when it has', async () => {
    const plain = compileDtoValidator(Flat)({ guest: 'Ann' });
    expect(plain).toBeInstanceOf(Flat);
    const nested = (await compileDtoValidator(SaveBooking)({ room: 2, guest: { name: 'Ann' } })) as SaveBooking;
    expect(nested.guest).toBeInstanceOf(Guest);
  });

  it('passes a class without constraints through as an instance instead of rejecting it as unknown', () => {
    class Untyped {
      note?: string;
    }
    const out = compileDtoValidator(Untyped)({ note: 'x' });
    expect(out).toBeInstanceOf(Untyped);
    expect(out).toEqual(Object.assign(new Untyped(), { note: 'x' }));
  });

  it('builds the instance without running the __proto__ setter, with or without class-transformer', async () => {
    // JSON.parse makes "__proto__" an own key; a copy by assignment would replace the prototype.
    const hostile = JSON.parse('{"guest":"Ann","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}') as object;
    const flat = compileDtoValidator(Flat)(hostile) as Flat;
    expect(Object.getPrototypeOf(flat)).toBe(Flat.prototype);
    expect((flat as unknown as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.keys(flat).sort()).toEqual(['guest', 'nights']);
    const nested = (await compileDtoValidator(SaveBooking)(JSON.parse('{"room":1,"guest":{"name":"Ann"},"__proto__":{"isAdmin":true}}'))) as SaveBooking;
    expect(Object.getPrototypeOf(nested)).toBe(SaveBooking.prototype);
    expect((nested as unknown as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
