import type { ServiceDescription } from '@natsmesh/core';
import { normalizeDescriptions } from './normalize-descriptions';
import { svc } from './service-description.fixture';


describe('normalizeDescriptions', () => {
  it('sorts by name then version, puts keys in one order and drops exact duplicates', () => {
    const b = svc('b', { metadata: { z: '1', a: '2' } });
    const shuffled = JSON.parse('{"subscriptions":[],"endpoints":[{"queue":"a","subject":"a.x","name":"x"}],"emits":[],"calls":[],"metadata":{},"queue":"a","version":"2.0.0","name":"a"}') as ServiceDescription;
    const out = normalizeDescriptions([b, shuffled, svc('a'), b]);
    expect(out.map((d) => `${d.name}@${d.version}`)).toEqual(['a@1.0.0', 'a@2.0.0', 'b@1.0.0']);
    expect(Object.keys(out[1]!)).toEqual(['name', 'version', 'queue', 'metadata', 'calls', 'emits', 'endpoints', 'subscriptions']);
    expect(Object.keys(out[1]!.endpoints[0]!)).toEqual(['name', 'subject', 'queue']);
    expect(Object.keys(out[2]!.metadata)).toEqual(['a', 'z']);
  });

  it('copies: changing the result leaves the input alone', () => {
    const input = svc('a', { calls: ['x.y'] });
    normalizeDescriptions([input])[0]!.calls.push('changed');
    expect(input.calls).toEqual(['x.y']);
  });

  it('refuses two different descriptions of one name and version', () => {
    expect(() => normalizeDescriptions([svc('a'), svc('a', { description: 'other' })])).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_SERVICE', message: expect.stringContaining('a@1.0.0') }),
    );
  });
});
