import { judgeCanary } from './canary-judge';
import type { CanaryRule } from './rules-model';
import type { VersionFigures } from './version-figures';

const rule: CanaryRule = {
  service: 'hotel.booking',
  from: '1.0.0',
  to: '2.0.0',
  steps: [5, 25, 50, 100],
  intervalMs: 60_000,
  criteria: { maxErrorRatio: 0.05, maxP99Ratio: 1.5, minRequests: 100 },
};

function figures(version: string, requests: number, errors: number, p99Ms?: number): VersionFigures {
  return { version, instances: 2, requests, errors, errorRatio: requests === 0 ? 0 : errors / requests, ...(p99Ms === undefined ? {} : { p99Ms }) };
}

const baseline = figures('1.0.0', 1000, 0, 10);

describe('judgeCanary', () => {
  it('advances a healthy step, and succeeds after the last one', () => {
    const canary = figures('2.0.0', 200, 2, 12);
    expect(judgeCanary(rule, 0, { canary, baseline, baselineP99Ms: 10 })).toEqual({ action: 'advance', reason: expect.stringMatching(/healthy over 200 requests.*next step 25%/) });
    expect(judgeCanary(rule, 3, { canary, baseline: undefined, baselineP99Ms: 10 })).toMatchObject({ action: 'succeed' });
  });

  it('pauses with fewer canary requests than minRequests, or no canary instance', () => {
    expect(judgeCanary(rule, 1, { canary: figures('2.0.0', 99, 50), baseline, baselineP99Ms: 10 })).toEqual({ action: 'pause', reason: expect.stringMatching(/99 requests to 2.0.0, fewer than minRequests 100/) });
    expect(judgeCanary(rule, 1, { canary: undefined, baseline, baselineP99Ms: 10 })).toMatchObject({ action: 'pause', reason: expect.stringMatching(/no instance/) });
  });

  it('rolls back on an error ratio above maxErrorRatio', () => {
    expect(judgeCanary(rule, 2, { canary: figures('2.0.0', 300, 90, 10), baseline, baselineP99Ms: 10 })).toEqual({
      action: 'rollback',
      reason: expect.stringMatching(/error ratio 0.300 of 2.0.0 over 300 requests is above maxErrorRatio 0.05/),
    });
  });

  it('rolls back on a p99 above maxP99Ratio times the baseline, and does not judge p99 without a baseline', () => {
    const slow = figures('2.0.0', 300, 0, 20);
    expect(judgeCanary(rule, 0, { canary: slow, baseline, baselineP99Ms: 10 })).toMatchObject({ action: 'rollback', reason: expect.stringMatching(/p99 20.0 ms of 2.0.0 is 2.00 times/) });
    expect(judgeCanary(rule, 0, { canary: slow, baseline: undefined, baselineP99Ms: undefined })).toMatchObject({ action: 'advance' });
  });

  it('judges a step without criteria as healthy once it had a request (blue/green)', () => {
    const blueGreen: CanaryRule = { ...rule, steps: [100], criteria: {} };
    expect(judgeCanary(blueGreen, 0, { canary: figures('2.0.0', 1, 1), baseline: undefined, baselineP99Ms: undefined })).toMatchObject({ action: 'succeed' });
  });
});
