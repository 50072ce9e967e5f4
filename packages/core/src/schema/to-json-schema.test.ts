import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsBoolean,
  IsDateString,
  IsDate,
  IsDefined,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Describe } from './describe.decorator';
import { JSON_SCHEMA_DIALECT, orderJsonSchema } from './json-schema';
import { toJsonSchema } from './to-json-schema';

enum RoomType {
  Single = 'single',
  Double = 'double',
}

enum Floor {
  Ground,
  First,
}

class Address {
  @IsString() @IsNotEmpty() street!: string;
  @IsOptional() @Matches(/^[0-9]{5}$/) zip?: string;
}

@Describe('Body of hotel.booking.save')
class Booking {
  @Describe('Full name of the guest', { example: 'Ann Smith' })
  @IsString()
  @IsNotEmpty()
  guest!: string;

  @IsInt() @Min(1) @Max(30) nights!: number;
  @IsOptional() @IsEmail() email?: string;
  @IsEnum(RoomType) type!: RoomType;
  @IsEnum(Floor) floor!: Floor;
  @IsIn(['EUR', 'USD']) currency!: string;
  @IsUUID() requestId!: string;
  @IsDateString() arrival!: string;
  @IsBoolean() breakfast!: boolean;
  @IsNumber() @IsPositive() deposit!: number;
  @Length(2, 40) note!: string;

  @ValidateNested() @Type(() => Address) address!: Address;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => Address)
  previous!: Address[];

  @IsOptional() @IsString({ each: true }) @ArrayUnique() tags?: string[];
}

describe('toJsonSchema', () => {
  it('writes a JSON Schema 2020-12 object with types, constraints, formats, enums and required fields', () => {
    const schema = toJsonSchema(Booking);
    expect(schema).toEqual({
      $schema: JSON_SCHEMA_DIALECT,
      title: 'Booking',
      description: 'Body of hotel.booking.save',
      type: 'object',
      properties: {
        guest: { description: 'Full name of the guest', type: 'string', minLength: 1, examples: ['Ann Smith'] },
        nights: { type: 'integer', minimum: 1, maximum: 30 },
        email: { type: 'string', format: 'email' },
        type: { type: 'string', enum: ['single', 'double'] },
        floor: { type: 'integer', enum: [0, 1] },
        currency: { type: 'string', enum: ['EUR', 'USD'] },
        requestId: { type: 'string', format: 'uuid' },
        arrival: { type: 'string', format: 'date-time' },
        breakfast: { type: 'boolean' },
        deposit: { type: 'number', exclusiveMinimum: 0 },
        note: { minLength: 2, maxLength: 40 },
        address: { $ref: '#/$defs/Address' },
        previous: { type: 'array', items: { $ref: '#/$defs/Address' }, minItems: 1, maxItems: 3 },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      },
      required: ['guest', 'nights', 'type', 'floor', 'currency', 'requestId', 'arrival', 'breakfast', 'deposit', 'note', 'address', 'previous'],
      $defs: {
        Address: {
          title: 'Address',
          type: 'object',
          properties: { street: { type: 'string', minLength: 1 }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
          required: ['street'],
        },
      },
    });
  });

  it('is plain JSON and gives byte-identical output on every call', () => {
    const a = JSON.stringify(toJsonSchema(Booking));
    expect(JSON.stringify(JSON.parse(a))).toBe(a);
    expect(JSON.stringify(toJsonSchema(Booking))).toBe(a);
  });

  it('writes keywords in one fixed order whatever order the decorators were stacked in', () => {
    class A {
      @Max(9) @Min(1) @IsInt() n!: number;
    }
    class B {
      @IsInt() @Min(1) @Max(9) n!: number;
    }
    const props = (s: ReturnType<typeof toJsonSchema>) => JSON.stringify(s.properties);
    expect(props(toJsonSchema(A))).toBe(props(toJsonSchema(B)));
    expect(Object.keys(toJsonSchema(A).properties!.n!)).toEqual(['type', 'minimum', 'maximum']);
  });

  it('keeps base-class properties first and lets a subclass override their docs', () => {
    class Base {
      @Describe('the id') @IsString() id!: string;
    }
    class Derived extends Base {
      @IsInt() count!: number;
      @Describe('the id, as the caller knows it') override id!: string;
    }
    const schema = toJsonSchema(Derived);
    expect(Object.keys(schema.properties!)).toEqual(['id', 'count']);
    expect(schema.properties!.id).toEqual({ description: 'the id, as the caller knows it', type: 'string' });
    expect(schema.required).toEqual(['id', 'count']);
  });

  it('treats @ValidateIf like @IsOptional, and @IsDefined as required again', () => {
    class C {
      @ValidateIf((o: C) => o.b !== undefined) @IsString() a?: string;
      @IsOptional() @IsDefined() b!: string;
    }
    expect(toJsonSchema(C).required).toEqual(['b']);
  });

  it('numbers the second of two different nested classes with the same name', () => {
    const First = (() => {
      class Item {
        @IsString() a!: string;
      }
      return Item;
    })();
    const Second = (() => {
      class Item {
        @IsInt() b!: number;
      }
      return Item;
    })();
    class Both {
      @ValidateNested() @Type(() => First) one!: unknown;
      @ValidateNested() @Type(() => Second) two!: unknown;
    }
    const schema = toJsonSchema(Both);
    expect(schema.properties).toEqual({ one: { $ref: '#/$defs/Item' }, two: { $ref: '#/$defs/Item_2' } });
    expect(schema.$defs!.Item!.properties).toEqual({ a: { type: 'string' } });
    expect(schema.$defs!.Item_2!.properties).toEqual({ b: { type: 'integer' } });
  });

  it('refers to the root with "#" and to a recursive nested class through $defs', () => {
    class TreeNode {
      @IsString() label!: string;
      @IsOptional() @ValidateNested({ each: true }) @Type(() => TreeNode) children?: TreeNode[];
    }
    class Tree {
      @ValidateNested() @Type(() => TreeNode) root!: TreeNode;
      @IsOptional() @ValidateNested() @Type(() => Tree) next?: Tree;
    }
    const schema = toJsonSchema(Tree);
    expect(schema.properties).toEqual({ root: { $ref: '#/$defs/TreeNode' }, next: { $ref: '#' } });
    expect(schema.$defs!.TreeNode!.properties!.children).toEqual({ type: 'array', items: { $ref: '#/$defs/TreeNode' } });
  });

  it('maps @Type to primitives and dates, and discriminated subtypes to oneOf', () => {
    class Cat {
      @Equals('cat') kind!: string;
    }
    class Dog {
      @Equals('dog') kind!: string;
    }
    class Pets {
      @IsDate() @Type(() => Date) born!: Date;
      @Type(() => Number) @Min(0) weight!: number;
      @ValidateNested()
      @Type(() => Object, { discriminator: { property: 'kind', subTypes: [{ name: 'cat', value: Cat }, { name: 'dog', value: Dog }] } })
      pet!: Cat | Dog;
    }
    const schema = toJsonSchema(Pets);
    expect(schema.properties).toEqual({
      born: { type: 'string', format: 'date-time' },
      weight: { type: 'number', minimum: 0 },
      pet: { oneOf: [{ $ref: '#/$defs/Cat' }, { $ref: '#/$defs/Dog' }] },
    });
    expect(schema.$defs!.Cat!.properties).toEqual({ kind: { const: 'cat' } });
  });

  it('covers more string constraints: url, min/max length, deprecated fields and null examples', () => {
    class Links {
      @IsUrl() home!: string;
      @MinLength(3) @MaxLength(8) code!: string;
      @Describe('old name', { deprecated: true, example: null }) @IsOptional() legacy?: string | null;
    }
    expect(toJsonSchema(Links).properties).toEqual({
      home: { type: 'string', format: 'uri' },
      code: { minLength: 3, maxLength: 8 },
      legacy: { description: 'old name', deprecated: true, examples: [null] },
    });
  });

  it('describes a class without constraints as an object, and documents properties that have no validator', () => {
    class Empty {}
    expect(toJsonSchema(Empty)).toEqual({ $schema: JSON_SCHEMA_DIALECT, title: 'Empty', type: 'object' });
    class DocOnly {
      @Describe('free text') comment?: string;
    }
    expect(toJsonSchema(DocOnly).properties).toEqual({ comment: { description: 'free text' } });
  });
});

describe('orderJsonSchema', () => {
  it('orders keywords, sorts $defs and keeps property order', () => {
    const ordered = orderJsonSchema({
      $defs: { B: { type: 'string' }, A: { maxLength: 1, type: 'string' } },
      properties: { z: { type: 'string' }, a: { maximum: 2, type: 'integer' } },
      type: 'object',
      title: 'X',
    });
    expect(JSON.stringify(ordered)).toBe(
      '{"title":"X","type":"object","properties":{"z":{"type":"string"},"a":{"type":"integer","maximum":2}},"$defs":{"A":{"type":"string","maxLength":1},"B":{"type":"string"}}}',
    );
  });
});
