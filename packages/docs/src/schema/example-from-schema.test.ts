import { exampleFromSchema } from './example-from-schema';

describe('exampleFromSchema', () => {
  it('builds a value that fits types, formats, enums and bounds, preferring declared examples', () => {
    expect(
      exampleFromSchema({
        type: 'object',
        properties: {
          guest: { type: 'string', minLength: 1, examples: ['Ann'] },
          room: { type: 'integer', minimum: 1 },
          amount: { type: 'number', exclusiveMinimum: 0 },
          kind: { type: 'string', enum: ['single', 'double'] },
          email: { type: 'string', format: 'email' },
          code: { type: 'string', minLength: 10, maxLength: 12 },
          short: { type: 'string', maxLength: 3 },
          flags: { type: 'array', items: { type: 'boolean' }, minItems: 2 },
          fixed: { const: 'v1' },
          anything: {},
        },
      }),
    ).toEqual({
      guest: 'Ann',
      room: 1,
      amount: 1,
      kind: 'single',
      email: 'guest@example.com',
      code: 'stringstri',
      short: 'str',
      flags: [true, true],
      fixed: 'v1',
      anything: 'any JSON value',
    });
  });

  it('follows $refs into $defs and stops at recursion', () => {
    const schema = {
      type: 'object' as const,
      properties: { root: { $ref: '#/$defs/Node' } },
      $defs: {
        Node: { type: 'object' as const, properties: { label: { type: 'string' as const }, children: { type: 'array' as const, items: { $ref: '#/$defs/Node' } } } },
      },
    };
    expect(exampleFromSchema(schema)).toEqual({ root: { label: 'string', children: [{}] } });
  });

  it('is the same value every time', () => {
    const schema = { type: 'object' as const, properties: { n: { type: 'integer' as const, maximum: -5 } } };
    expect(JSON.stringify(exampleFromSchema(schema))).toBe(JSON.stringify(exampleFromSchema(schema)));
    expect(exampleFromSchema(schema)).toEqual({ n: -5 });
  });
});
