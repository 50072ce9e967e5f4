import { TestingError } from './errors';
import { renderNatsConfig } from './nats-config';

describe('renderNatsConfig', () => {
  it('renders nested maps and arrays with quoted keys, so subjects such as "orders.v" can be keys', () => {
    const text = renderNatsConfig({
      max_payload: 2048,
      debug: false,
      jetstream: { max_memory_store: 1048576 },
      mappings: { 'orders.v': [{ destination: 'orders.v1', weight: '80%' }] },
      empty: {},
      none: [],
    });
    expect(text).toBe(
      [
        '{',
        '  "max_payload": 2048,',
        '  "debug": false,',
        '  "jetstream": {',
        '    "max_memory_store": 1048576',
        '  },',
        '  "mappings": {',
        '    "orders.v": [',
        '      {',
        '        "destination": "orders.v1",',
        '        "weight": "80%"',
        '      }',
        '    ]',
        '  },',
        '  "empty": {},',
        '  "none": []',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('escapes strings with the only escapes the config lexer knows (\\t \\n \\r \\" \\\\ \\xHH)', () => {
    expect(renderNatsConfig({ s: 'a"b\\c\nd\te\r\u0001é' })).toContain('"s": "a\\"b\\\\c\\nd\\te\\r\\x01é"');
  });

  it('leaves out keys whose value is undefined, as JSON does', () => {
    expect(renderNatsConfig({ a: 1, b: undefined })).toBe('{\n  "a": 1\n}\n');
  });

  it.each([
    ['null', { a: { b: null } }, 'config.a.b is null'],
    ['NaN', { a: Number.NaN }, 'config.a is NaN'],
    ['an exponent', { a: 1e21 }, 'config.a is 1e+21'],
    ['a function', { a: [() => 1] }, 'config.a[0] is a function'],
    ['undefined in an array', { a: [undefined] }, 'config.a[0] is undefined'],
    ['a class instance', { a: new Date(0) }, 'config.a is an instance of Date'],
  ])('rejects %s with INVALID_CONFIG naming the path', (_what, config, message) => {
    expect(() => renderNatsConfig(config as Record<string, unknown>)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(message) }),
    );
  });

  it('rejects a cycle instead of overflowing the stack', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => renderNatsConfig(a)).toThrow(TestingError);
    expect(() => renderNatsConfig(a)).toThrow(/config\.self refers back to itself/);
  });
});
