import { endpointMiddleware, namesFromUnknown } from './handler-middleware';

describe('endpointMiddleware', () => {
  it('reads the JSON array in natsmesh.middleware, keeping only strings', () => {
    expect(endpointMiddleware({ 'natsmesh.middleware': '["rateLimit",1,null,"Audit"]' })).toEqual(['rateLimit', 'Audit']);
  });

  it('gives no names for metadata from an older natsmesh, another micro service or junk', () => {
    const cases: (Record<string, string> | null | undefined)[] = [undefined, null, {}, { 'natsmesh.middleware': '{bad' }, { 'natsmesh.middleware': '"Audit"' }, { 'natsmesh.middleware': '{"0":"a"}' }];
    for (const metadata of cases) {
      expect(endpointMiddleware(metadata)).toEqual([]);
    }
  });
});

describe('namesFromUnknown', () => {
  it('keeps the strings of a list and nothing else', () => {
    expect(namesFromUnknown(['a', 2, 'b'])).toEqual(['a', 'b']);
    expect(namesFromUnknown('a')).toEqual([]);
  });
});
