import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { compileFastCheck } from './fast-check';

class Simple {
  @IsString() name!: string;
  @IsOptional() @IsInt() @Min(1) age?: number;
}

class Child {
  @IsString() name!: string;
}

class Nested {
  @ValidateNested() @Type(() => Child) child!: Child;
}

class Each {
  @IsInt({ each: true }) ids!: number[];
}

class Defined {
  @IsDefined() id!: unknown;
}

const of = (values: object) => Object.assign(new Simple(), values);

describe('compileFastCheck', () => {
  it('compiles simple constraints into a pass/fail check', () => {
    const check = compileFastCheck(Simple, {})!;
    expect(check).toBeInstanceOf(Function);
    expect(check(of({ name: 'a' }))).toBe(true);
    expect(check(of({ name: 'a', age: 2 }))).toBe(true);
    expect(check(of({ name: 'a', age: 0 }))).toBe(false);
    expect(check(of({ name: 1 }))).toBe(false);
  });

  it('leaves nested DTOs, each, IsDefined and non-default options to class-validator', () => {
    expect(compileFastCheck(Nested, {})).toBeUndefined();
    expect(compileFastCheck(Each, {})).toBeUndefined();
    expect(compileFastCheck(Defined, {})).toBeUndefined();
    expect(compileFastCheck(Simple, { whitelist: true })).toBeUndefined();
  });
});
