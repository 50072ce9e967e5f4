import { headers } from 'nats';
import { drawFaults } from './fault-decision';
import { faultCodeProblem } from './fault-code';
import { clientFaults, serverFaults } from './fault-plan';
import type { FaultRule } from './rules-model';

const NOW = 1_000_000;
const scope = { service: 'hotel.booking', endpoint: 'save', version: '1.2.0' };
const fault = (f: Partial<FaultRule> & { name: string }): FaultRule => ({ service: 'hotel.booking', expiresAt: NOW + 60_000, abort: { code: 'UNAVAILABLE', percent: 100 }, ...f });
const always = () => 0;
const never = () => 0.999999;

describe('server faults of an endpoint', () => {
  it('take the faults scoped to its service, endpoint and version, in name order', () => {
    const faults = [
      fault({ name: 'b-service' }),
      fault({ name: 'a-endpoint', endpoint: 'save' }),
      fault({ name: 'other-endpoint', endpoint: 'cancel' }),
      fault({ name: 'other-version', version: '2.0.0' }),
      fault({ name: 'same-version', version: '1.2.0' }),
      fault({ name: 'other-service', service: 'hotel.pricing' }),
      fault({ name: 'client-side', where: 'client' }),
    ];
    expect(serverFaults(faults, scope, NOW).map((f) => f.name)).toEqual(['a-endpoint', 'b-service', 'same-version']);
  });

  it('leave out expired faults and faults that could not be applied', () => {
    const faults = [
      fault({ name: 'expired', expiresAt: NOW }),
      fault({ name: 'bad-code', abort: { code: 'not a code', percent: 10 } }),
      fault({ name: 'ok-code', abort: { code: 'OK', percent: 10 } }),
      fault({ name: 'bad-percent', abort: { code: 'UNAVAILABLE', percent: 120 } }),
      fault({ name: 'neither', abort: undefined }),
      fault({ name: 'fine' }),
    ];
    expect(serverFaults(faults, scope, NOW).map((f) => f.name)).toEqual(['fine']);
  });
});

describe('drawing the faults of a request', () => {
  it('delays, then aborts, and only requests that match', () => {
    const [delay, abort] = serverFaults(
      [
        fault({ name: 'slow', abort: undefined, delay: { ms: 200, percent: 100 }, match: { headers: { 'X-Canary': '1' } } }),
        fault({ name: 'tail', abort: { code: 'TIMEOUT', percent: 100 } }),
      ],
      scope,
      NOW,
    );
    const canary = headers();
    canary.set('x-canary', '1');
    const hit = drawFaults([delay, abort], canary, undefined, always)!;
    expect(hit.delayMs).toBe(200);
    expect(hit.abort?.name).toBe('tail');
    const plain = drawFaults([delay, abort], undefined, undefined, always)!;
    expect(plain.delayMs).toBe(0);
    expect(plain.abort?.name).toBe('tail');
  });

  it('draws nothing when the share is not drawn, and allocates nothing then', () => {
    const faults = serverFaults([fault({ name: 'rare', abort: { code: 'UNAVAILABLE', percent: 30 }, delay: { ms: 5, percent: 30 } })], scope, NOW);
    expect(drawFaults(faults, undefined, undefined, never)).toBeUndefined();
  });

  it('matches header values exactly and the caller by name', () => {
    const faults = serverFaults([fault({ name: 'web-only', match: { caller: 'web', headers: { tenant: 'a' } } })], scope, NOW);
    const h = headers();
    h.set('Tenant', 'a');
    expect(drawFaults(faults, h, 'web', always)).toBeDefined();
    expect(drawFaults(faults, h, 'batch', always)).toBeUndefined();
    expect(drawFaults(faults, undefined, 'web', always)).toBeUndefined();
    const other = headers();
    other.set('tenant', 'ab');
    expect(drawFaults(faults, other, 'web', always)).toBeUndefined();
  });

  it('aborts about the share asked for', () => {
    const faults = serverFaults([fault({ name: 'third', abort: { code: 'UNAVAILABLE', percent: 30 } })], scope, NOW);
    let aborted = 0;
    for (let i = 0; i < 10_000; i++) if (drawFaults(faults, undefined, undefined, Math.random)?.abort !== undefined) aborted++;
    expect(aborted).toBeGreaterThan(2_700);
    expect(aborted).toBeLessThan(3_300);
  });
});

describe('client faults of a subject', () => {
  const callers = new Set(['web']);

  it('cover the endpoint named, or every subject of the service', () => {
    const faults = [fault({ name: 'save', endpoint: 'save', where: 'client' }), fault({ name: 'all', where: 'client' }), fault({ name: 'server', endpoint: 'save' })];
    expect(clientFaults(faults, 'hotel.booking.save', callers, NOW)?.any.map((f) => f.name)).toEqual(['all', 'save']);
    expect(clientFaults(faults, 'hotel.booking.cancel', callers, NOW)?.any.map((f) => f.name)).toEqual(['all']);
    expect(clientFaults(faults, 'hotel.bookings.save', callers, NOW)).toBeUndefined();
  });

  it('keep faults with a version apart, and drop those for another caller once', () => {
    const faults = [fault({ name: 'v2', version: '2.0.0', where: 'client' }), fault({ name: 'batch', where: 'client', match: { caller: 'batch' } })];
    const covering = clientFaults(faults, 'hotel.booking.save', callers, NOW)!;
    expect(covering.any).toEqual([]);
    expect(covering.byVersion.get('2.0.0')?.map((f) => f.name)).toEqual(['v2']);
  });
});

describe('the code of an abort', () => {
  it('is a natsmesh code or one written like them, never a code the metrics use for something else', () => {
    expect(faultCodeProblem('UNAVAILABLE')).toBeUndefined();
    expect(faultCodeProblem('ROOM_TAKEN')).toBeUndefined();
    expect(faultCodeProblem('unavailable')).toMatch(/abort.code "unavailable" is not an error code: write a natsmesh code such as UNAVAILABLE/);
    expect(faultCodeProblem(503)).toMatch(/abort.code 503 is not an error code/);
    expect(faultCodeProblem('OK')).toMatch(/abort.code OK names no failure/);
    expect(faultCodeProblem('EXPIRED')).toMatch(/names no failure/);
  });
});
