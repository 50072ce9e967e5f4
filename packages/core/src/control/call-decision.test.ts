import { headers } from 'nats';
import type { ServiceDescription } from '../app/describe';
import { chooseVersion, compileDecisions, type RouteDecision } from './call-decision';
import { NO_RULES, type MeshRules } from './rules-model';

function service(name: string, version: string, endpoints: Record<string, string>): ServiceDescription {
  return {
    name,
    version,
    queue: name,
    metadata: {},
    calls: [],
    emits: [],
    subscriptions: [],
    endpoints: Object.entries(endpoints).map(([e, subject]) => ({ name: e, subject, queue: name })),
  };
}

const booking = [
  service('hotel.booking', '1.2.0', { save: 'hotel.booking.save', get: 'hotel.booking.get' }),
  service('hotel.booking', '2.0.0', { save: 'hotel.booking.save', get: 'hotel.booking.get', legacy: 'legacy.book' }),
  service('hotel.rooms', '1.0.0', { list: 'hotel.rooms.list' }),
];

const rules = (r: Partial<MeshRules>): MeshRules => ({ ...NO_RULES, ...r });

function routeOf(r: Partial<MeshRules>, subject = 'hotel.booking.save'): RouteDecision {
  const route = compileDecisions(rules(r), booking).get(subject)?.route;
  if (route === undefined) throw new Error(`no route for ${subject}`);
  return route;
}

describe('compileDecisions', () => {
  it('gives no subject a decision without route or mirror rules', () => {
    expect(compileDecisions(NO_RULES, booking).size).toBe(0);
  });

  it('covers every endpoint subject of the routed service, absolute ones too, and no other service', () => {
    const d = compileDecisions(rules({ routes: [{ service: 'hotel.booking', weights: { '1.2.0': 90, '2.0.0': 10 } }] }), booking);
    expect([...d.keys()].sort()).toEqual(['hotel.booking.get', 'hotel.booking.save', 'legacy.book']);
  });

  it('lets a mirror rule for an endpoint win over the service-wide one', () => {
    const d = compileDecisions(
      rules({
        mirrors: [
          { service: 'hotel.booking', version: '2.0.0', percent: 10 },
          { service: 'hotel.booking', endpoint: 'save', version: '3.0.0', percent: 50, compare: true },
        ],
      }),
      booking,
    );
    expect(d.get('hotel.booking.save')?.mirror).toEqual({ to: { version: '3.0.0', nodesKey: 'hotel.booking.save 3.0.0' }, share: 0.5, compare: true });
    expect(d.get('hotel.booking.get')?.mirror).toMatchObject({ to: { version: '2.0.0' }, share: 0.1, compare: false });
    expect(d.get('hotel.booking.get')?.route).toBeUndefined();
  });

  it('drops a mirror of 0 percent', () => {
    expect(compileDecisions(rules({ mirrors: [{ service: 'hotel.rooms', version: '2.0.0', percent: 0 }] }), booking).size).toBe(0);
  });
});

describe('chooseVersion', () => {
  it('splits by weight: 90/10 over evenly spread draws', () => {
    const route = routeOf({ routes: [{ service: 'hotel.booking', weights: { '1.2.0': 90, '2.0.0': 10 } }] });
    const picks = Array.from({ length: 1000 }, (_, i) => chooseVersion(route, undefined, undefined, i / 1000)?.version);
    expect(picks.filter((v) => v === '2.0.0')).toHaveLength(100);
    expect(picks.filter((v) => v === '1.2.0')).toHaveLength(900);
  });

  it('sends a call whose header matches (name in any case) to the match version, before the weights', () => {
    const route = routeOf({
      routes: [{ service: 'hotel.booking', match: [{ headers: { 'X-Canary': '1' }, version: '2.0.0' }], weights: { '1.2.0': 100 } }],
    });
    const h = headers();
    h.set('x-canary', '1');
    expect(chooseVersion(route, h, undefined, 0.5)?.version).toBe('2.0.0');
    h.set('x-canary', '0');
    expect(chooseVersion(route, h, undefined, 0.5)?.version).toBe('1.2.0');
    expect(chooseVersion(route, undefined, undefined, 0.5)?.version).toBe('1.2.0');
  });

  it('matches on the caller, every field of a match rule must hold, and the first match wins', () => {
    const route = routeOf({
      routes: [
        {
          service: 'hotel.booking',
          match: [
            { caller: 'web', headers: { 'x-beta': 'yes' }, version: '3.0.0' },
            { caller: 'web', version: '2.0.0' },
          ],
        },
      ],
    });
    const beta = headers();
    beta.set('x-beta', 'yes');
    expect(chooseVersion(route, beta, 'web', 0)?.version).toBe('3.0.0');
    expect(chooseVersion(route, undefined, 'web', 0)?.version).toBe('2.0.0');
    expect(chooseVersion(route, beta, 'billing', 0)).toBeUndefined();
  });

  it('a header asked to be empty does not match a missing header', () => {
    const route = routeOf({ routes: [{ service: 'hotel.booking', match: [{ headers: { 'x-empty': '' }, version: '2.0.0' }] }] });
    expect(chooseVersion(route, headers(), undefined, 0)).toBeUndefined();
  });
});
