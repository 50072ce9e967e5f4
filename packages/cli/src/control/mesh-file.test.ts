import type { MeshRules } from '@natsmesh/core';
import { meshFileOf, rulesOfMeshFile } from './mesh-file';

const NOW = Date.parse('2026-12-01T04:00:00.000Z');
const RULES: MeshRules = {
  routes: [{ service: 'hotel.booking', weights: { '1.0.0': 90, '2.0.0': 10 } }],
  mirrors: [],
  faults: [{ name: 'slow-save', service: 'hotel.booking', delay: { ms: 200, percent: 50 }, expiresAt: NOW + 600_000 }],
  canaries: [{ service: 'hotel.rooms', from: '1.0.0', to: '2.0.0', steps: [5, 100], intervalMs: 90_000, criteria: {} }],
};

describe('the mesh file', () => {
  it('writes times and durations for people, in the place of the model field, and reads them back to the same rules', () => {
    const file = meshFileOf(RULES);
    expect(file).toMatchObject({ apiVersion: 'natsmesh/v1', kind: 'Mesh', faults: [{ expires: '2026-12-01T04:10:00.000Z' }], canaries: [{ interval: '1m30s' }] });
    expect(Object.keys((file.canaries as object[])[0])).toEqual(['service', 'from', 'to', 'steps', 'interval', 'criteria']);
    expect(rulesOfMeshFile(file, NOW + 1)).toEqual(RULES);
  });

  it('reads expires as a duration from now, an ISO time with its zone, or a YAML timestamp', () => {
    const fault = (expires: unknown) => rulesOfMeshFile({ apiVersion: 'natsmesh/v1', kind: 'Mesh', faults: [{ name: 'f', service: 's', abort: { code: 'INTERNAL', percent: 1 }, expires }] }, NOW).faults[0].expiresAt;
    expect(fault('10m')).toBe(NOW + 600_000);
    expect(fault('2026-12-01T06:00:00+01:00')).toBe(Date.parse('2026-12-01T05:00:00Z'));
    expect(fault(new Date(NOW + 5))).toBe(NOW + 5);
    expect(() => fault('2026-12-01 06:00')).toThrow(/faults\.0\.expires is "2026-12-01 06:00": write a duration from now such as 10m, or an ISO time with its zone/);
  });

  it('lists every problem at once, the file fields by their own names', () => {
    expect(() => rulesOfMeshFile({ kind: 'Mesh', canaries: [{ service: 's', from: '1', to: '2', steps: [100], criteria: {} }] }, NOW)).toThrow(
      'Invalid mesh file: apiVersion is missing: write apiVersion: natsmesh/v1; canaries.0.interval is missing: write how long each step runs, such as 30s or 5m.',
    );
    expect(() => rulesOfMeshFile([], NOW)).toThrow(/the file holds a list: write a mapping with apiVersion/);
  });
});
