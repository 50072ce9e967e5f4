import 'reflect-metadata';
import { describeService } from '../app/describe';
import { Handle } from '../decorators/handle.decorator';
import { Service } from '../decorators/service.decorator';
import { infoResponse } from '../discovery/srv-responses';
import { scanService } from '../scanner/service-scanner';
import { SLO_GOOD_CODES, type SloOptions } from './slo-options';

function serviceWith(slo: unknown) {
  @Service('slo.check')
  class Checked {
    @Handle('x', { slo: slo as SloOptions })
    x() {}

    @Handle('y')
    y() {}
  }
  return Checked;
}

const invalid = (message: RegExp) => expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringMatching(message) });

describe('@Handle({ slo })', () => {
  it.each([
    [{}, /slo.check|x.*neither p99 nor errorRate/],
    [{ p99: 0 }, /slo\.p99 is 0: use milliseconds above 0/],
    [{ p99: -5 }, /slo\.p99 is -5/],
    [{ p99: Infinity }, /slo\.p99 is Infinity/],
    [{ p99: 20000 }, /slo\.p99 is 20000: use milliseconds above 0 and below 10000/],
    // histogram_quantile never reports more than the largest finite bucket (10 s): `p99 > 10` could never fire.
    [{ p99: 10000 }, /slo\.p99 is 10000: .*below 10000 .*never reports more than 10 s/],
    [{ p99: '250' }, /slo\.p99 is "250"/],
    [{ errorRate: 0 }, /slo\.errorRate is 0: use the fraction .* above 0 and below 1/],
    [{ errorRate: 1 }, /slo\.errorRate is 1/],
    [{ errorRate: 99.9 }, /slo\.errorRate is 99.9/],
    [{ errorRate: NaN }, /slo\.errorRate is NaN/],
    [{ errorRate: 0.01, window: '2d' }, /slo\.window is "2d": use whole days or weeks, 3 days or more/],
    [{ errorRate: 0.01, window: '30 days' }, /slo\.window is "30 days"/],
    [{ p99: 100, window: '30d' }, /slo\.window is set without errorRate/],
    [{ errorRate: 0.01, clientCodes: 'PAYMENT_DECLINED' }, /slo\.clientCodes is "PAYMENT_DECLINED": use an array/],
    [{ errorRate: 0.01, clientCodes: [''] }, /slo\.clientCodes is object/],
    [{ p99: 100, clientCodes: ['X'] }, /clientCodes is set without errorRate/],
    // The metric counts such a code as OTHER: listing it would never spare the budget.
    [{ errorRate: 0.01, clientCodes: ['payment_declined'] }, /slo\.clientCodes\[0\] "payment_declined" is not counted under its own name/],
    [{ p99: 100, p95: 50 }, /unknown option\(s\) p95/],
    ['fast', /option slo is "fast": use \{ errorRate\?, p99\?/],
  ])('refuses %j with INVALID_OPTIONS saying what to use', (slo, message) => {
    expect(() => scanService(serviceWith(slo))).toThrow(invalid(message));
  });

  it('accepts a p99 just below the largest bucket', () => {
    expect(scanService(serviceWith({ p99: 9999 })).endpoints.find((e) => e.name === 'x')?.slo).toEqual({ p99: 9999 });
  });

  it('names the handler in the message', () => {
    expect(() => scanService(serviceWith({ p99: 0 }))).toThrow(invalid(/^@Handle\('x'\) on Checked\.x: slo\.p99/));
  });

  it('keeps a valid SLO in the definition, the description and the $SRV.INFO endpoint metadata', () => {
    const slo = { p99: 250, errorRate: 0.001, window: '4w', clientCodes: ['PAYMENT_DECLINED', 'CARD_EXPIRED', 'PAYMENT_DECLINED'] };
    const def = scanService(serviceWith(slo));
    const expected = { p99: 250, errorRate: 0.001, window: '4w', clientCodes: ['CARD_EXPIRED', 'PAYMENT_DECLINED'] };
    expect(def.endpoints.find((e) => e.name === 'x')?.slo).toEqual(expected);
    expect(def.endpoints.find((e) => e.name === 'y')?.slo).toBeUndefined();
    const description = describeService(def);
    expect(description.endpoints.find((e) => e.name === 'x')?.slo).toEqual(expected);
    expect(description.endpoints.find((e) => e.name === 'y')).not.toHaveProperty('slo');
    const info = infoResponse({ description, stats: new Map() }, { appId: 'a', zone: undefined, started: '' }) as { endpoints: { name: string; metadata: Record<string, string> }[] };
    expect(JSON.parse(info.endpoints.find((e) => e.name === 'x')!.metadata['natsmesh.slo']!)).toEqual(expected);
    expect(info.endpoints.find((e) => e.name === 'y')!.metadata).not.toHaveProperty('natsmesh.slo');
  });

  it('counts OK and the 4xx codes as good, and no 5xx code', () => {
    expect([...SLO_GOOD_CODES].sort()).toEqual(['BAD_REQUEST', 'CONFLICT', 'FORBIDDEN', 'INVALID_RULE', 'NOT_FOUND', 'OK', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'UNAUTHORIZED', 'VALIDATION_FAILED']);
  });
});
