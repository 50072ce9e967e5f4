import { parseHeaders, parseJsonArgument } from './json-argument';

describe('command-line JSON and headers', () => {
  it('drops dangerous keys from a JSON argument whatever their escape', () => {
    const out = parseJsonArgument('{"guest":"Ann","\\u005f_proto__":{"isAdmin":true},"\\u0063onstructor":{"prototype":{"isAdmin":true}}}') as object;
    expect(Object.keys(out)).toEqual(['guest']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('reports malformed JSON as a usage error', () => {
    expect(() => parseJsonArgument('{')).toThrow(/not valid JSON/);
  });

  it('keeps a header of any name as a plain entry, __proto__ included', () => {
    const h = parseHeaders(['__proto__=x', 'trace-id=1'])!;
    expect(Object.entries(h)).toEqual([
      ['__proto__', 'x'],
      ['trace-id', '1'],
    ]);
  });
});
