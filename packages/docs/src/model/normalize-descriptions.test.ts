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

  it('keeps middleware names as a clean list of strings, and drops the field when it is junk or empty', () => {
    const junk = (middleware: unknown) => ({ name: 'x', subject: 's.x', queue: 's', middleware }) as never;
    const [out] = normalizeDescriptions([
      svc('s', {
        endpoints: [junk(['rateLimit', 'Audit']), junk('Audit'), junk([1, null, 'Audit', { a: 1 }]), junk([]), junk([7]), junk({ 0: 'a' }), junk(undefined)],
        subscriptions: [{ pattern: 'e.>', method: 'on', middleware: ['Dedupe'] }, { pattern: 'e.x', method: 'onX', middleware: 'Dedupe' as never }],
      }),
    ]);
    expect(out!.endpoints.map((e) => e.middleware)).toEqual([['rateLimit', 'Audit'], undefined, ['Audit'], undefined, undefined, undefined, undefined]);
    expect(out!.endpoints.filter((e) => 'middleware' in e)).toHaveLength(2);
    expect(out!.subscriptions.map((e) => e.middleware)).toEqual([['Dedupe'], undefined]);
    expect(Object.keys(out!.endpoints[0]!)).toEqual(['name', 'subject', 'queue', 'middleware']);
  });
});
