import { MeshError } from '../errors/mesh-error';
import { decodeJson, encodeJson, parseJson } from './json-codec';

const bytes = (s: string) => Buffer.from(s);

describe('json codec', () => {
  it('round-trips JSON and maps an empty payload to undefined', () => {
    expect(decodeJson(encodeJson({ a: [1, 'x', null] }))).toEqual({ a: [1, 'x', null] });
    expect(encodeJson(undefined).length).toBe(0);
    expect(decodeJson(new Uint8Array(0))).toBeUndefined();
  });

  it('serialises class instances through class-transformer getters and fields', () => {
    class Reply {
      id = 7;
    }
    expect(JSON.parse(Buffer.from(encodeJson(new Reply())).toString())).toEqual({ id: 7 });
  });

  it('rejects malformed JSON with BAD_REQUEST', () => {
    expect(() => decodeJson(bytes('{"guest":'))).toThrow(MeshError);
    try {
      decodeJson(bytes('{"guest":'));
    } catch (err) {
      expect(err).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
      expect((err as Error).message).toMatch(/not valid JSON/);
    }
  });

  it('rejects invalid UTF-8 with BAD_REQUEST', () => {
    expect(() => decodeJson(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toThrow(/not valid UTF-8/);
  });

  it('drops __proto__ and constructor.prototype keys at any depth', () => {
    const out = decodeJson(bytes('{"a":1,"__proto__":{"polluted":true},"n":{"constructor":{"prototype":{"x":1}},"b":2}}')) as Record<string, unknown>;
    expect(out).toEqual({ a: 1, n: { b: 2 } });
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    '{"\\u005f_proto__":{"polluted":true}}',
    '{"\\u005F\\u005F\\u0070\\u0072\\u006F\\u0074\\u006f\\u005f\\u005f":{"polluted":true}}',
    '[{"a":{"__pr\\u006fto__":{"polluted":true}}}]',
    '{"\\u0063onstructor":{"protot\\u0079pe":{"polluted":true}}}',
    '{"constructor":{"\\u0070rototype":{"polluted":true}}}',
  ])('drops the dangerous key whatever its escape: %s', (text) => {
    const out = decodeJson(bytes(text));
    const keys: string[] = [];
    JSON.stringify(out, (k, v: unknown) => (keys.push(k), v));
    expect(keys).not.toContain('__proto__');
    expect(keys).not.toContain('constructor');
  });

  it('keeps keys named constructor or prototype that cannot reach a prototype', () => {
    expect(decodeJson(bytes('{"constructor":"Ann","prototype":{"v":2},"list":["__proto__"]}'))).toEqual({ constructor: 'Ann', prototype: { v: 2 }, list: ['__proto__'] });
  });

  it('parses text with parseJson the same way, for callers that hold a string', () => {
    const out = parseJson('{"\\u005f_proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    expect(out).toEqual({ a: 1 });
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(false);
    expect(() => parseJson('{')).toThrow(/not valid JSON/);
  });
});
