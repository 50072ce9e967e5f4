import { MeshError } from '../errors/mesh-error';
import { checkRule, checkRules } from './check-rule';

function refusal(run: () => unknown): MeshError {
  try {
    run();
  } catch (err) {
    if (MeshError.is(err)) return err;
    throw err;
  }
  throw new Error('expected INVALID_RULE');
}

const later = Date.now() + 60_000;

describe('checkRule', () => {
  it('accepts each kind of valid rule', () => {
    expect(checkRule('route', { service: 'hotel.booking', match: [{ headers: { 'x-canary': '1' }, version: '2.0.0' }], weights: { '1.2.0': 33.3, '2.0.0': 66.7 } })).toBeDefined();
    expect(checkRule('mirror', { service: 'hotel.booking', endpoint: 'save', version: '2.0.0', percent: 50, compare: true })).toBeDefined();
    expect(checkRule('fault', { name: 'slow-save', service: 'hotel.booking', delay: { ms: 200, percent: 100 }, match: { caller: 'web' }, where: 'client', expiresAt: later })).toBeDefined();
    expect(checkRule('canary', { service: 'hotel.booking', from: '1.2.0', to: '2.0.0', steps: [5, 25, 50, 100], intervalMs: 60_000, criteria: { maxErrorRatio: 0.01 } })).toBeDefined();
  });

  it.each([
    ['weights that sum to 120', 'route', { service: 'a', weights: { '1': 90, '2': 30 } }, 'weights', 'weights sum to 120, not 100'],
    ['a route with neither weights nor match', 'route', { service: 'a' }, 'weights', 'a route needs weights'],
    ['an unknown field', 'route', { service: 'a', weights: { '1': 100 }, weigths: {} }, 'weigths', 'unknown field "weigths" in the route rule: remove it (the fields are service, match, weights)'],
    ['an unknown field in a match', 'route', { service: 'a', match: [{ version: '2', header: {} }] }, 'match.0.header', 'unknown field "match.0.header"'],
    ['a negative weight', 'route', { service: 'a', weights: { '1': 110, '2': -10 } }, 'weights.2', 'weights.2 is -10: use a percentage from 0 to 100'],
    ['a percent over 100', 'mirror', { service: 'a', version: '2', percent: 150 }, 'percent', 'percent is 150: use a percentage from 0 to 100'],
    ['a mirror without version', 'mirror', { service: 'a', percent: 5 }, 'version', 'version is missing: set it to a version such as "2.0.0"'],
    ['a fault without expiresAt', 'fault', { name: 'f', service: 'a', abort: { code: 'UNAVAILABLE', percent: 5 } }, 'expiresAt', 'expiresAt is missing: set it to the time the fault ends, epoch ms'],
    ['a fault with neither delay nor abort', 'fault', { name: 'f', service: 'a', expiresAt: later }, 'delay', 'has neither delay nor abort'],
    ['an abort code in lower case', 'fault', { name: 'f', service: 'a', abort: { code: 'unavailable', percent: 5 }, expiresAt: later }, 'abort.code', 'abort.code is "unavailable"'],
    ['an abort with code OK', 'fault', { name: 'f', service: 'a', abort: { code: 'OK', percent: 5 }, expiresAt: later }, 'abort.code', 'abort.code OK names no failure'],
    ['a fault name with a dot', 'fault', { name: 'a.b', service: 'a', delay: { ms: 1, percent: 1 }, expiresAt: later }, 'name', 'name is "a.b": use letters, digits, "-" or "_"'],
    ['a service with a wildcard', 'mirror', { service: 'hotel.*', version: '2', percent: 5 }, 'service', 'service is "hotel.*": use a service name'],
    ['canary steps that go down', 'canary', { service: 'a', from: '1', to: '2', steps: [50, 20], intervalMs: 1000, criteria: {} }, 'steps', 'steps are [50, 20]: use increasing percentages that end at 100'],
    ['a canary to the same version', 'canary', { service: 'a', from: '1', to: '1', steps: [100], intervalMs: 1000, criteria: {} }, 'to', 'to is the same version as from'],
  ] as const)('refuses %s with INVALID_RULE naming the field', (_, kind, rule, field, message) => {
    const err = refusal(() => checkRule(kind, rule));
    expect(err).toMatchObject({ code: 'INVALID_RULE', status: 400 });
    expect((err.details as { field: string }[]).map((d) => d.field)).toContain(field);
    expect(err.message).toContain(message);
  });

  it('refuses a value that is not an object', () => {
    expect(refusal(() => checkRule('route', 'x')).message).toBe('Invalid route rule: the rule is "x": use an object (a route rule).');
  });
});

describe('checkRules', () => {
  it('reports every bad rule of a set by its path, and two rules with one key', () => {
    const err = refusal(() =>
      checkRules({
        routes: [{ service: 'a', weights: { '1': 100 } }, { service: 'a', weights: { '2': 100 } }],
        mirrors: [{ service: 'a', version: '2', percent: 101 }],
        gateways: [],
      }),
    );
    expect((err.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['gateways', 'mirrors.0.percent', 'routes.1']);
    expect(err.message).toContain('routes.1 has the same key "route.a" as routes.0');
  });

  it('fills absent lists with empty ones', () => {
    expect(checkRules({ faults: [] })).toEqual({ routes: [], mirrors: [], faults: [], canaries: [] });
  });
});
