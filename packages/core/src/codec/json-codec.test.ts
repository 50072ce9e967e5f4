import { MeshError } from '../errors/mesh-error';
import { decodeJson, encodeJson } from './json-codec';

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

  it('drops __proto__, constructor and prototype keys at any depth', () => {
    const out = decodeJson(bytes('{"a":1,"__proto__":{"polluted":true},"n":{"constructor":{"prototype":{"x":1}},"b":2}}')) as Record<string, unknown>;
    expect(out).toEqual({ a: 1, n: { b: 2 } });
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
