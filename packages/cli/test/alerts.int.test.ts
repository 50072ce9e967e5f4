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
    expect(pickyRatio.expr).toMatch(/code!~"OK\|BAD_REQUEST\|.*\|RATE_LIMITED.*\|PAYMENT_DECLINED"/);
    expect(records.find((r) => r.expr.includes('endpoint="hot"'))!.expr).not.toContain('PAYMENT_DECLINED');

    const search = rules.groups[1]!.rules;
    expect(search.filter((r) => 'alert' in r).map((r) => `${(r as AlertingRule).alert}/${(r as AlertingRule).labels.endpoint}/${(r as AlertingRule).labels.severity}`)).toEqual([
      'NatsmeshErrorBudgetBurn/quick/page',
      'NatsmeshErrorBudgetBurn/quick/ticket',
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
    expect(checked.output).toMatch(/SUCCESS: 49 rules found/);
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
      'shop.loose x: errorRate 0.1 × 14.4 is 100 % or more, so the 1h page can never fire: use a smaller errorRate.',
      expect.stringMatching(/^shop\.loose x: p99 300 ms is not a bucket bound .* interpolated between buckets \(bounds in ms: 0\.5, 1, 2\.5, .*, 10000\)\.$/),
    ]);
    const both = sloRules(described(Loose, Loose2));
    expect(both.warnings).toContain("shop.loose x declares different SLOs in versions 1.0.0 and 2.0.0 (the metrics do not tell versions apart): used 2.0.0's.");
    expect(both.rules.groups[0]!.rules.filter((r) => 'alert' in r)).toHaveLength(2);
    expect(sloRules(described(OrdersService)).warnings).toEqual([]);
  });

  it('refuses a bad --window and a missing source as usage mistakes', async () => {
    expect(await natsmesh('alerts', '--scan', 'x.js', '--window', '2d')).toMatchObject({ code: 2, err: expect.stringMatching(/--window "2d" is not a window: use whole days or weeks, 3 days or more/) });
    expect(await natsmesh('alerts')).toMatchObject({ code: 2, err: expect.stringMatching(/alerts needs a source: --scan/) });
    expect(await natsmesh('alerts', '--live', '--module', 'x.js')).toMatchObject({ code: 2, err: expect.stringMatching(/alerts takes either --scan\/--module \(static\) or --live, not both/) });
  });
});
