import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describeService, Handle, scanService, Service, type ServiceDescription } from '@natsmesh/core';
import { rulesYaml, sloRules, type AlertingRule, type RecordingRule } from '@natsmesh/cli';
import { natsmesh } from './run-natsmesh';
import { promtool } from './promtool';

const budget = { errorRate: 0.001 };

@Service('shop.orders', { version: '1.0.0' })
class OrdersService {
  @Handle('hot', { slo: budget }) hot() {}
  @Handle('cold', { slo: budget }) cold() {}
  @Handle('picky', { slo: { ...budget, clientCodes: ['PAYMENT_DECLINED'] } }) picky() {}
  @Handle('late', { slo: budget }) late() {}
  @Handle('plain') plain() {}
}

@Service('shop.search', { version: '1.0.0' })
class SearchService {
  @Handle('slow', { slo: { p99: 250 } }) slow() {}
  @Handle('quick', { slo: { p99: 250, errorRate: 0.01, window: '7d' } }) quick() {}
}

@Service('shop.none')
class NoSloService {
  @Handle('x') x() {}
}

const described = (...classes: (new () => unknown)[]): ServiceDescription[] => classes.map((c) => describeService(scanService(c)));

type Rules = ReturnType<typeof sloRules>['rules'];
const alertsOf = (rules: Rules) => rules.groups.flatMap((g) => g.rules).filter((r): r is AlertingRule => 'alert' in r);
const alertOf = (rules: Rules, endpoint: string, severity: string) => alertsOf(rules).find((a) => a.labels.endpoint === endpoint && a.labels.severity === severity)!;
/** What promtool expects of a firing alert, with `{{ $value | humanize… }}` as `value`. */
const firing = (a: AlertingRule, value: string) => ({
  exp_labels: { ...a.labels },
  exp_annotations: { summary: a.annotations.summary, description: a.annotations.description!.replace(/\{\{ \$value \| humanize\w+ \}\}/, value) },
});
/** A counter of `natsmesh_requests_total` growing by `perMinute` for three hours (`values` to override). */
const requests = (service: string, endpoint: string, code: string, perMinute: number, values = `0+${perMinute}x180`) => ({
  series: `natsmesh_requests_total{service="${service}", endpoint="${endpoint}", code="${code}", instance="a", job="app"}`,
  values,
});
/** Runs `promtool test rules` on `rules` with one test of `test`; resolves with its output. */
async function promtoolTest(dir: string, name: string, rules: Rules, test: object): Promise<{ code: number; output: string }> {
  writeFileSync(join(dir, `${name}.yaml`), rulesYaml(rules));
  const file = join(dir, `${name}.test.yaml`);
  writeFileSync(file, stringify({ rule_files: [`${name}.yaml`], evaluation_interval: '1m', tests: [{ interval: '1m', ...test }] }));
  return promtool('test', 'rules', file);
}

describe('natsmesh alerts: Prometheus rules from @Handle({ slo })', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'natsmesh-alerts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const made = () => sloRules(described(SearchService, OrdersService, NoSloService));

  it('writes one group per service, recording rules for 5m to 3d, page and ticket burn-rate alerts and a p99 alert', () => {
    const { rules, endpoints } = made();
    expect(endpoints).toBe(6);
    expect(rules.groups.map((g) => g.name)).toEqual(['natsmesh-slo:shop.orders', 'natsmesh-slo:shop.search']);
    const orders = rules.groups[0]!.rules;
    const records = orders.filter((r): r is RecordingRule => 'record' in r);
    expect(records).toHaveLength(4 * 7);
    expect(new Set(records.map((r) => r.record))).toEqual(new Set(['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `natsmesh:slo_errors_per_request:ratio_rate${w}`)));
    const alerts = orders.filter((r): r is AlertingRule => 'alert' in r);
    expect(alerts.map((a) => `${a.labels.endpoint}/${a.labels.severity}`)).toEqual(['cold/page', 'cold/ticket', 'hot/page', 'hot/ticket', 'late/page', 'late/ticket', 'picky/page', 'picky/ticket']);
    const hotPage = alerts.find((a) => a.labels.endpoint === 'hot' && a.labels.severity === 'page')!;
    expect(hotPage.labels).toEqual({ severity: 'page', service: 'shop.orders', endpoint: 'hot' });
    expect(hotPage.expr).toContain('natsmesh:slo_errors_per_request:ratio_rate1h{service="shop.orders", endpoint="hot"} > (14.4 * 0.001)');
    expect(hotPage.expr).toContain('ratio_rate5m{service="shop.orders", endpoint="hot"} > (14.4 * 0.001)');
    expect(hotPage.expr).toContain('ratio_rate6h{service="shop.orders", endpoint="hot"} > (6 * 0.001)');
    expect(hotPage.expr).toContain('ratio_rate30m{service="shop.orders", endpoint="hot"} > (6 * 0.001)');
    const hotTicket = alerts.find((a) => a.labels.endpoint === 'hot' && a.labels.severity === 'ticket')!;
    expect(hotTicket.expr).toMatch(/ratio_rate1d\{.*\} > \(3 \* 0\.001\)[\s\S]*ratio_rate2h\{.*\} > \(3 \* 0\.001\)[\s\S]*ratio_rate3d\{.*\} > \(1 \* 0\.001\)[\s\S]*ratio_rate6h\{.*\} > \(1 \* 0\.001\)/);
    const pickyRatio = records.find((r) => r.expr.includes('endpoint="picky"'))!;
    expect(pickyRatio.expr).toMatch(/code=~"OK\|BAD_REQUEST\|.*\|RATE_LIMITED.*\|PAYMENT_DECLINED"/);
    expect(records.find((r) => r.expr.includes('endpoint="hot"'))!.expr).not.toContain('PAYMENT_DECLINED');

    const search = rules.groups[1]!.rules;
    expect(search.filter((r) => 'alert' in r).map((r) => `${(r as AlertingRule).alert}/${(r as AlertingRule).labels.endpoint}/${(r as AlertingRule).labels.severity}`)).toEqual([
      'NatsmeshErrorBudgetBurn/quick/page', // a 7-day window leaves no ticket condition above 1× (see below)
      'NatsmeshLatencyAboveSLO/quick/ticket',
      'NatsmeshLatencyAboveSLO/slow/ticket',
    ]);
    const slow = search.find((r) => 'alert' in r && r.labels.endpoint === 'slow') as AlertingRule;
    expect(slow).toMatchObject({ expr: 'natsmesh:request_duration_seconds:p99_rate5m{service="shop.search", endpoint="slow"} > 0.25', for: '10m' });
    // A 7-day window spends 2 % of its budget in 1h at 3.36× the allowed rate, not 14.4×.
    const quick = search.find((r) => 'alert' in r && r.labels.endpoint === 'quick' && r.labels.severity === 'page') as AlertingRule;
    expect(quick.expr).toContain('> (3.36 * 0.01)');
    expect(quick.annotations.description).toContain('over 7d');
  });

  it('gives the same YAML whatever order the services and instances come in', () => {
    const a = rulesYaml(sloRules(described(OrdersService, SearchService)).rules);
    const b = rulesYaml(sloRules(described(SearchService, OrdersService, SearchService)).rules);
    expect(b).toBe(a);
    expect(a).toMatch(/^# Prometheus rules generated by `natsmesh alerts`/);
    expect(a).toMatch(/^groups:$/m);
  });

  it('writes a file promtool check rules accepts', async () => {
    const file = join(dir, 'check.yaml');
    writeFileSync(file, rulesYaml(made().rules));
    const checked = await promtool('check', 'rules', file);
    expect(checked.output).toMatch(/SUCCESS: 48 rules found/);
    expect(checked.code).toBe(0);
  });

  it('fires the page alert at a high server-fault rate only, per promtool test rules on synthetic series', async () => {
    const rules = made().rules;
    writeFileSync(join(dir, 'rules.yaml'), rulesYaml(rules));
    const alert = (endpoint: string, severity: string) =>
      rules.groups.flatMap((g) => g.rules).find((r): r is AlertingRule => 'alert' in r && r.labels.endpoint === endpoint && r.labels.severity === severity)!;
    const counter = (endpoint: string, code: string, perMinute: number) => ({
      series: `natsmesh_requests_total{service="shop.orders", endpoint="${endpoint}", code="${code}", instance="a", job="hotel"}`,
      values: `0+${perMinute}x180`,
    });
    const bucket = (endpoint: string, le: string, perMinute: number) => ({
      series: `natsmesh_request_duration_seconds_bucket{service="shop.search", endpoint="${endpoint}", le="${le}"}`,
      values: `0+${perMinute}x180`,
    });
    const fired = (a: AlertingRule, value: string) => ({
      exp_labels: { ...a.labels },
      exp_annotations: { summary: a.annotations.summary, description: a.annotations.description!.replace(/\{\{ \$value \| humanize\w+ \}\}/, value) },
    });
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            counter('hot', 'OK', 90),
            counter('hot', 'INTERNAL', 10), // 10 % failed: far above 14.4 × 0.1 %
            counter('cold', 'OK', 995),
            counter('cold', 'INTERNAL', 5), // 0.5 %: above 3 × 0.1 % (a ticket) but below 6 × 0.1 % (no page)
            counter('picky', 'OK', 10),
            counter('picky', 'VALIDATION_FAILED', 40), // the callers' mistakes spend nothing
            counter('picky', 'NOT_FOUND', 20),
            counter('picky', 'PAYMENT_DECLINED', 30), // one of the SLO's clientCodes
            counter('late', 'OK', 80),
            counter('late', 'EXPIRED', 20), // dropped for their deadline: a server fault
            bucket('slow', '0.1', 0),
            bucket('slow', '0.25', 0),
            bucket('slow', '0.5', 10),
            bucket('slow', '+Inf', 10),
            bucket('quick', '0.1', 10),
            bucket('quick', '0.25', 10),
            bucket('quick', '0.5', 10),
            bucket('quick', '+Inf', 10),
          ],
          alert_rule_test: [
            {
              eval_time: '70m',
              alertname: 'NatsmeshErrorBudgetBurn',
              exp_alerts: [
                fired(alert('cold', 'ticket'), '0.5%'),
                fired(alert('hot', 'page'), '10%'),
                fired(alert('hot', 'ticket'), '10%'),
                fired(alert('late', 'page'), '20%'),
                fired(alert('late', 'ticket'), '20%'),
              ],
            },
            { eval_time: '70m', alertname: 'NatsmeshLatencyAboveSLO', exp_alerts: [fired(alert('slow', 'ticket'), '497.5ms')] },
            { eval_time: '5m', alertname: 'NatsmeshLatencyAboveSLO', exp_alerts: [] },
          ],
        },
      ],
    };
    const file = join(dir, 'rules.test.yaml');
    writeFileSync(file, stringify(tests));
    const tested = await promtool('test', 'rules', file);
    expect(tested.output).toMatch(/SUCCESS/);
    expect(tested.code).toBe(0);
  });

  it('natsmesh alerts --module writes the rules file, or prints it, and exits 1 without any SLO', async () => {
    const out = join(dir, 'hotel', 'alerts.yaml');
    const wrote = await natsmesh('alerts', '--module', 'examples/hotel/dist/services.js', '--out', out);
    expect(wrote).toMatchObject({ code: 0, out: expect.stringMatching(/^Wrote \d+ rule\(s\) for \d+ endpoint\(s\) with an SLO to .*alerts\.yaml; check it with: promtool check rules/) });
    const printed = await natsmesh('alerts', '--scan', 'examples/hotel/dist/**/*.service.js');
    expect(printed.code).toBe(0);
    expect(printed.out).toBe(readFileSync(out, 'utf8'));
    expect((await promtool('check', 'rules', out)).code).toBe(0);

    // Under jest, the fixture's TypeScript is compiled on import; its one endpoint declares no SLO.
    const none = 'packages/core/test/fixtures/guests.service.ts';
    const empty = await natsmesh('alerts', '--module', none);
    expect(empty).toMatchObject({ code: 1, err: expect.stringMatching(/No endpoint declares an SLO: add one to @Handle, e\.g\. @Handle\('save', \{ slo: \{ errorRate: 0\.001, p99: 250 \} \}\)/) });
    expect(JSON.parse((await natsmesh('alerts', '--module', none, '--json')).err)).toEqual({ error: { code: 'NO_SLO', message: expect.any(String) } });
  });

  it('warns when the page can never fire or the p99 falls between buckets, and when two versions disagree', () => {
    @Service('shop.loose', { version: '1.0.0' })
    class Loose {
      @Handle('x', { slo: { errorRate: 0.1, p99: 300 } }) x() {}
    }
    @Service('shop.loose', { version: '2.0.0' })
    class Loose2 {
      @Handle('x', { slo: { errorRate: 0.01 } }) x() {}
    }
    expect(sloRules(described(Loose)).warnings).toEqual([
      'shop.loose x: the page condition over 1h and 5m is left out: errorRate 0.1 × 14.4 is 100 % or more and an error ratio never is, so it could never fire; use an errorRate below 0.069.',
      // 10000 ms is not offered: a p99 must be below it.
      expect.stringMatching(/^shop\.loose x: p99 300 ms is not a bucket bound .* interpolated between buckets \(bounds in ms: 0\.5, 1, 2\.5, .*, 2500, 5000\)\.$/),
    ]);
    const both = sloRules(described(Loose, Loose2));
    expect(both.warnings).toContain("shop.loose x declares different SLOs in versions 1.0.0 and 2.0.0 (the metrics do not tell versions apart): used 2.0.0's.");
    expect(both.rules.groups[0]!.rules.filter((r) => 'alert' in r)).toHaveLength(2);
    expect(sloRules(described(OrdersService)).warnings).toEqual([]);
  });

  it('leaves out burn-rate conditions that would fire while the SLO holds (windows under 30 days), and says so', async () => {
    @Service('shop.short', { version: '1.0.0' })
    class ShortWindows {
      @Handle('d3', { slo: { errorRate: 0.01, window: '3d' } }) d3() {}
      @Handle('d7', { slo: { errorRate: 0.01, window: '7d' } }) d7() {}
      @Handle('d28', { slo: { errorRate: 0.01, window: '28d' } }) d28() {}
      @Handle('burning', { slo: { errorRate: 0.01, window: '3d' } }) burning() {}
    }
    const made = sloRules(described(ShortWindows));
    const { rules } = made;
    // 0.95 % failing keeps a 1 % SLO: no alert. Before, 3d fired 0.6× and 0.3×, 7d 0.7× and 0.233×, 28d 0.933×.
    const tested = await promtoolTest(dir, 'short', rules, {
      input_series: [
        ...['d3', 'd7', 'd28'].flatMap((e) => [requests('shop.short', e, 'OK', 9905), requests('shop.short', e, 'INTERNAL', 95)]),
        requests('shop.short', 'burning', 'OK', 98),
        requests('shop.short', 'burning', 'INTERNAL', 2), // 2 %: above 1.44 × 1 %, the 1h page a 3-day window keeps
      ],
      alert_rule_test: [{ eval_time: '70m', alertname: 'NatsmeshErrorBudgetBurn', exp_alerts: [firing(alertOf(rules, 'burning', 'page'), '2%')] }],
    });
    expect(tested.output).toMatch(/SUCCESS/);
    expect(tested.code).toBe(0);

    expect(alertsOf(rules).map((a) => `${a.labels.endpoint}/${a.labels.severity}`)).toEqual(['burning/page', 'd28/page', 'd28/ticket', 'd3/page', 'd7/page']);
    expect(alertOf(rules, 'd3', 'page').expr).not.toContain('ratio_rate6h');
    expect(alertOf(rules, 'd28', 'ticket').expr).toContain('ratio_rate1d{service="shop.short", endpoint="d28"} > (2.8 * 0.01)');
    expect(alertOf(rules, 'd28', 'ticket').expr).not.toContain('ratio_rate3d');
    expect(made.warnings).toEqual([
      'shop.short burning: the page condition over 6h and 30m is left out: over a 3d window it looks for 0.6× the allowed error rate, below 1×, so it would fire while the SLO holds (it needs a window of 5d or more).',
      'shop.short burning: the ticket condition over 1d and 2h is left out: over a 3d window it looks for 0.3× the allowed error rate, below 1×, so it would fire while the SLO holds (it needs a window of 10d or more).',
      'shop.short burning: the ticket condition over 3d and 6h is left out: over a 3d window it looks for 0.1× the allowed error rate, below 1×, so it would fire while the SLO holds (it needs a window of 30d or more).',
      'shop.short burning has no ticket alert: every ticket condition is left out (above).',
      expect.stringMatching(/^shop\.short d28: the ticket condition over 3d and 6h is left out: over a 28d window it looks for 0\.93× /),
      expect.stringMatching(/^shop\.short d3: the page condition over 6h and 30m is left out/),
      expect.stringMatching(/^shop\.short d3: the ticket condition over 1d and 2h is left out/),
      expect.stringMatching(/^shop\.short d3: the ticket condition over 3d and 6h is left out/),
      'shop.short d3 has no ticket alert: every ticket condition is left out (above).',
      expect.stringMatching(/^shop\.short d7: the ticket condition over 1d and 2h is left out: over a 7d window it looks for 0\.7× .*window of 10d or more\)\.$/),
      expect.stringMatching(/^shop\.short d7: the ticket condition over 3d and 6h is left out: over a 7d window it looks for 0\.23× /),
      'shop.short d7 has no ticket alert: every ticket condition is left out (above).',
    ]);
  });

  it('names the SLO window in the alert text and rounds factors there, not in PromQL', () => {
    @Service('shop.windows', { version: '1.0.0' })
    class Windows {
      @Handle('short', { slo: { errorRate: 0.01, window: '3d' } }) short() {}
      @Handle('long', { slo: { errorRate: 0.01, window: '100d' } }) long() {}
    }
    const { rules } = sloRules(described(Windows));
    const short = alertOf(rules, 'short', 'page').annotations.description!;
    expect(short).toContain('Fires at 1.44× the allowed rate over 1h and 5m (at that rate the 3d budget lasts 2.08 days).');
    expect(short).not.toContain('30 days');
    const long = alertOf(rules, 'long', 'ticket');
    expect(long.annotations.description).toContain('3.33× the allowed rate over 3d and 6h (at that rate the 100d budget lasts 30 days)');
    expect(long.expr).toContain('ratio_rate3d{service="shop.windows", endpoint="long"} > (3.333333333 * 0.01)');
    for (const a of alertsOf(rules)) expect(a.annotations.description).not.toMatch(/\d\.\d{3,}×/);
  });

  it('leaves out conditions that can never fire (factor × errorRate ≥ 100 %), warns about each, and says when no page is left', () => {
    @Service('shop.lax', { version: '1.0.0' })
    class Lax {
      @Handle('x', { slo: { errorRate: 0.5 } }) x() {}
    }
    const { rules, warnings } = sloRules(described(Lax));
    expect(warnings).toEqual([
      'shop.lax x: the page condition over 1h and 5m is left out: errorRate 0.5 × 14.4 is 100 % or more and an error ratio never is, so it could never fire; use an errorRate below 0.069.',
      'shop.lax x: the page condition over 6h and 30m is left out: errorRate 0.5 × 6 is 100 % or more and an error ratio never is, so it could never fire; use an errorRate below 0.16.',
      'shop.lax x: the ticket condition over 1d and 2h is left out: errorRate 0.5 × 3 is 100 % or more and an error ratio never is, so it could never fire; use an errorRate below 0.33.',
      'shop.lax x has no page alert: every page condition is left out (above).',
    ]);
    expect(alertsOf(rules).map((a) => a.labels.severity)).toEqual(['ticket']);
    expect(alertOf(rules, 'x', 'ticket').expr).toBe(
      '(\n  natsmesh:slo_errors_per_request:ratio_rate3d{service="shop.lax", endpoint="x"} > (1 * 0.5)\nand\n  natsmesh:slo_errors_per_request:ratio_rate6h{service="shop.lax", endpoint="x"} > (1 * 0.5)\n)',
    );
  });

  it('records an error ratio of 0 while every request succeeds, the share of server faults with some, and no data without traffic', async () => {
    @Service('shop.ratio', { version: '1.0.0' })
    class Ratio {
      @Handle('healthy', { slo: budget }) healthy() {}
      @Handle('failing', { slo: budget }) failing() {}
      @Handle('idle', { slo: budget }) idle() {}
    }
    const { rules } = sloRules(described(Ratio));
    const ratio = (w: string, endpoint: string) => `natsmesh:slo_errors_per_request:ratio_rate${w}{endpoint="${endpoint}"}`;
    const labels = (endpoint: string) => `{service="shop.ratio", endpoint="${endpoint}"}`;
    const tested = await promtoolTest(dir, 'ratio', rules, {
      input_series: [
        requests('shop.ratio', 'healthy', 'OK', 100), // natsmesh exports OK at 0 from the start, other codes once seen
        requests('shop.ratio', 'failing', 'OK', 90),
        requests('shop.ratio', 'failing', 'INTERNAL', 10),
        requests('shop.ratio', 'idle', 'OK', 0, '50+0x180'),
        requests('shop.ratio', 'idle', 'INTERNAL', 0, '5+0x180'),
      ],
      promql_expr_test: [
        ...['5m', '3d'].flatMap((w) => [
          { expr: ratio(w, 'healthy'), eval_time: '70m', exp_samples: [{ labels: `${ratio(w, 'healthy').replace(/\{.*/, '')}${labels('healthy')}`, value: 0 }] },
          { expr: `round(${ratio(w, 'failing')} * 1000)`, eval_time: '70m', exp_samples: [{ labels: labels('failing'), value: 100 }] },
          { expr: ratio(w, 'idle'), eval_time: '70m', exp_samples: [] },
        ]),
      ],
      alert_rule_test: [
        {
          eval_time: '70m',
          alertname: 'NatsmeshErrorBudgetBurn',
          exp_alerts: [firing(alertOf(rules, 'failing', 'page'), '10%'), firing(alertOf(rules, 'failing', 'ticket'), '10%')],
        },
      ],
    });
    expect(tested.output).toMatch(/SUCCESS/);
    expect(tested.code).toBe(0);
  });

  it('refuses a bad --window and a missing source as usage mistakes', async () => {
    expect(await natsmesh('alerts', '--scan', 'x.js', '--window', '2d')).toMatchObject({ code: 2, err: expect.stringMatching(/--window "2d" is not a window: use whole days or weeks, 3 days or more/) });
    expect(await natsmesh('alerts')).toMatchObject({ code: 2, err: expect.stringMatching(/alerts needs a source: --scan/) });
    expect(await natsmesh('alerts', '--live', '--module', 'x.js')).toMatchObject({ code: 2, err: expect.stringMatching(/alerts takes either --scan\/--module \(static\) or --live, not both/) });
  });
});
