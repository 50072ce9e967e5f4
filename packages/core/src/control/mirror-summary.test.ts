import { MIRROR_SUMMARY_LIMIT, MirrorSummary } from './mirror-summary';

describe('MirrorSummary', () => {
  it('reports outcomes, copies sent and their mean and highest latency per subject and version', () => {
    const summary = new MirrorSummary();
    summary.record('hotel.booking.save', '2.0.0', 'EQUAL', 4);
    summary.record('hotel.booking.save', '2.0.0', 'DIFFERENT', 8);
    summary.record('hotel.booking.save', '2.0.0', 'NO_INSTANCE', undefined);
    summary.record('hotel.booking.get', '2.0.0', 'TIMEOUT', 1000);
    const report = summary.report('web');
    expect(report).toMatchObject({ client: 'web', pid: process.pid });
    expect(report.mirrors).toEqual([
      { subject: 'hotel.booking.save', version: '2.0.0', outcomes: { EQUAL: 1, DIFFERENT: 1, NO_INSTANCE: 1 }, sent: 2, meanMs: 6, maxMs: 8 },
      { subject: 'hotel.booking.get', version: '2.0.0', outcomes: { TIMEOUT: 1 }, sent: 1, meanMs: 1000, maxMs: 1000 },
    ]);
  });

  it('keeps at most MIRROR_SUMMARY_LIMIT subject and version pairs', () => {
    const summary = new MirrorSummary();
    for (let i = 0; i <= MIRROR_SUMMARY_LIMIT; i++) summary.record(`s.${i}`, '1.0.0', 'OK', 1);
    const report = summary.report(undefined);
    expect(report.mirrors).toHaveLength(MIRROR_SUMMARY_LIMIT);
    expect(report).not.toHaveProperty('client');
  });
});
