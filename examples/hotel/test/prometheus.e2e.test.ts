import 'reflect-metadata';
import { join } from 'node:path';
import { createClient, createLogger, type App, type MeshClient } from '@natsmesh/core';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import type { BookingService } from '../src/booking/booking.service';
import { createHotelApp } from '../src/hotel-app';
import type { RoomsService } from '../src/rooms/rooms.service';
import { startPrometheus, type PrometheusHandle } from './prometheus-server';

type Vector = { metric: Record<string, string>; value: [number, string] }[];

/** Polls until `check` holds, or fails with `what`. */
async function until(check: () => Promise<boolean>, what: string, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('the hotel app scraped by a real Prometheus', () => {
  let nats: NatsServerHandle;
  let app: App;
  let desk: MeshClient;
  let prometheus: PrometheusHandle;

  beforeAll(async () => {
    nats = await startNatsServer();
    app = await createHotelApp({
      nats: { servers: nats.url },
      logger: createLogger({ level: 'silent' }),
      metrics: { port: 0, host: '127.0.0.1', defaultMetrics: false },
    });
    await app.start();
    desk = await createClient({ nats: { servers: nats.url } });
    const target = new URL(app.metricsUrl!);
    prometheus = await startPrometheus({ targets: [target.host], metricsPath: target.pathname, ruleFiles: [join(__dirname, '..', 'alerts.yaml')] });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await desk?.close();
    await app?.stop();
    await nats?.stop();
  });

  const query = (q: string) => prometheus.api<{ resultType: string; result: Vector }>(`query?query=${encodeURIComponent(q)}`);

  it('counts every request by service and code, as Prometheus scrapes them', async () => {
    const booking = desk.service<BookingService>('hotel.booking');
    const rooms = desk.service<RoomsService>('hotel.rooms');
    await booking.save({ guest: 'Ann', room: 101, nights: 3 }); // OK; rooms.reserve OK, payments.charge OK
    await booking.save({ guest: 'Bob', room: 201, nights: 2 }); // the same
    expect(await catchMeshError(booking.save({ guest: '', room: 0, nights: 45 }))).toMatchObject({ code: 'VALIDATION_FAILED' }); // stops before the handler
    expect(await catchMeshError(booking.save({ guest: 'Dan', room: 101, nights: 1 }))).toMatchObject({ code: 'CONFLICT' }); // rooms.reserve CONFLICT, passed on
    // 6 nights in the suite is 2700 EUR, above the 2000 EUR limit: reserved, declined, released.
    expect(await catchMeshError(booking.save({ guest: 'Carol', room: 301, nights: 6 }))).toMatchObject({ code: 'PAYMENT_DECLINED' });
    expect(await catchMeshError(booking.get({ id: 'bk-000000' }))).toMatchObject({ code: 'NOT_FOUND' });
    await rooms.list();

    const expected: Record<string, number> = {
      'hotel.booking OK': 2,
      'hotel.booking VALIDATION_FAILED': 1,
      'hotel.booking CONFLICT': 1,
      'hotel.booking PAYMENT_DECLINED': 1,
      'hotel.booking NOT_FOUND': 1,
      'hotel.rooms OK': 5, // reserve × 3 (Ann, Bob, Carol), release × 1 (Carol), list × 1
      'hotel.rooms CONFLICT': 1,
      'hotel.payments OK': 2,
      'hotel.payments PAYMENT_DECLINED': 1,
    };
    const scraped = async () => {
      const { result } = await query('sum by (service, code) (natsmesh_requests_total)');
      return Object.fromEntries(result.map((r) => [`${r.metric.service} ${r.metric.code}`, Number(r.value[1])]));
    };
    // Wait for a scrape after the last call (Prometheus has what the app counted), then compare the whole table.
    const counted = (await app.metrics!.getSingleMetric('natsmesh_requests_total')!.get()).values.reduce((n, v) => n + v.value, 0);
    const sum = (table: Record<string, number>) => Object.values(table).reduce((a, b) => a + b, 0);
    await until(async () => sum(await scraped()) === counted, `a scrape with the ${counted} requests the app counted`);
    expect(await scraped()).toEqual(expected);

    const { result: up } = await query('up{job="hotel"}');
    expect(up.map((r) => r.value[1])).toEqual(['1']);
  });

  it('loads the hotel alerts.yaml and evaluates every rule in it without error', async () => {
    type Rule = { name: string; type: 'recording' | 'alerting'; health: string; lastError?: string };
    const rules = async () => (await prometheus.api<{ groups: { name: string; rules: Rule[] }[] }>('rules')).groups;
    await until(async () => (await rules()).every((g) => g.rules.every((r) => r.health !== 'unknown')), 'a first evaluation of every rule');
    const groups = await rules();
    expect(groups.map((g) => g.name)).toEqual(['natsmesh-slo:hotel.booking', 'natsmesh-slo:hotel.rooms']);
    const all = groups.flatMap((g) => g.rules);
    expect(all).toHaveLength(22);
    expect(all.filter((r) => r.health !== 'ok')).toEqual([]);
    expect(new Set(all.filter((r) => r.type === 'alerting').map((r) => r.name))).toEqual(new Set(['NatsmeshErrorBudgetBurn', 'NatsmeshLatencyAboveSLO']));
  });
});
