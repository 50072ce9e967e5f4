import type { ServiceDescription } from '../app/describe';
import { renderSubjectMappings } from './subject-mappings';

function service(version: string, endpoints: string[]): ServiceDescription {
  return {
    name: 'hotel.booking',
    version,
    queue: 'hotel.booking',
    metadata: {},
    calls: [],
    emits: [],
    subscriptions: [],
    endpoints: endpoints.map((e) => ({ name: e, subject: `hotel.booking.${e}`, queue: 'hotel.booking' })),
  };
}

describe('renderSubjectMappings', () => {
  it('maps every endpoint of the routed service to its version subjects, as nats-server config', () => {
    const out = renderSubjectMappings([{ service: 'hotel.booking', weights: { '1.2.0': 90, '2.0.0': 10 } }], [service('1.2.0', ['save']), service('2.0.0', ['save', 'get'])]);
    expect(out.config).toBe(
      [
        'mappings {',
        '  "hotel.booking.get": [',
        '    { destination: "$NATSMESH.V.1_2_0.hotel.booking.get", weight: 90% }',
        '    { destination: "$NATSMESH.V.2_0_0.hotel.booking.get", weight: 10% }',
        '  ]',
        '  "hotel.booking.save": [',
        '    { destination: "$NATSMESH.V.1_2_0.hotel.booking.save", weight: 90% }',
        '    { destination: "$NATSMESH.V.2_0_0.hotel.booking.save", weight: 10% }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    expect(out.notes).toEqual([]);
  });

  it('rounds fractional weights to whole percent summing to 100, and says so', () => {
    const out = renderSubjectMappings([{ service: 'hotel.booking', weights: { a: 33.3, b: 33.3, c: 33.4 } }], [service('a', ['save'])]);
    expect(out.mappings['hotel.booking.save'].map((d) => d.weight)).toEqual([33, 33, 34]);
    expect(out.notes.some((n) => n.includes('rounded'))).toBe(true);
  });

  it('leaves out match rules and unknown services with a note, and warns of a version no instance runs', () => {
    const out = renderSubjectMappings(
      {
        routes: [
          { service: 'hotel.booking', match: [{ headers: { 'x-canary': '1' }, version: '2.0.0' }], weights: { '1.2.0': 50, '9.9.9': 50 } },
          { service: 'hotel.rooms', weights: { '1.0.0': 100 } },
          { service: 'hotel.guests', match: [{ caller: 'web', version: '2.0.0' }] },
        ],
      },
      [service('1.2.0', ['save'])],
    );
    expect(Object.keys(out.mappings)).toEqual(['hotel.booking.save']);
    expect(out.notes.map((n) => n.slice(0, n.indexOf(':') + 30))).toEqual([
      'hotel.booking: its 1 match rule(s) (headers',
      'hotel.booking: no instance of version 9.9.9',
      'hotel.rooms: no description of this servi',
      'hotel.guests: its 1 match rule(s) (headers',
    ]);
  });

  it('renders nothing without weights', () => {
    expect(renderSubjectMappings({ routes: [] }, [])).toEqual({ mappings: {}, config: '', notes: [] });
  });
});
