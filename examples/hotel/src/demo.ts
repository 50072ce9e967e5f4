import 'reflect-metadata';
import { createClient, createLogger, type App, type MeshClient } from '@natsmesh/core';
import type { BookingService } from './booking/booking.service';
import type { Booking } from './booking/booking.repository';
import { heading, line, outcome, short, subscriberEvents, table } from './demo/demo-output';
import { findOrStartNats, type NatsEndpoint } from './demo/nats-endpoint';
import { createHotelApp } from './hotel-app';
import { metricsPortFromEnv } from './metrics-port';
import { STAFF_BADGES, STAFF_HEADER } from './staff/staff-directory';
import { ReceivedEvents, type Subscriber } from './subscribers/received-events';

const EVENT_GRACE_MS = 150;

/**
 * The hotel demo: starts every hotel service, books a few rooms as a front-desk client would
 * (good bookings, an invalid one, a declined payment, a taken room, a cancellation refused
 * without a staff badge, then made with one, then repeated), then shows the replies and what
 * each wildcard subscriber received.
 */
async function main(): Promise<void> {
  const requested = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const nats = await findOrStartNats(requested);
  let app: App | undefined;
  let desk: MeshClient | undefined;
  const appLog: string[] = [];
  try {
    app = await createHotelApp({
      nats: { servers: nats.url },
      logger: createLogger({ level: 'warn', sink: (l) => appLog.push(l) }),
      // A free port unless METRICS_PORT says otherwise: the demo must not clash with a running hotel.
      metrics: { port: metricsPortFromEnv(0), host: '127.0.0.1' },
    });
    await app.start();
    desk = await createClient({ nats: { servers: nats.url } });

    line('natsmesh hotel demo');
    line('===================');
    table([
      ['NATS', nats.url],
      ['', nats.origin],
      ['services', app.describe().map((s) => `${s.name}@${s.version}`).join('  ')],
      ['metrics', app.metricsUrl ?? '-'],
      ...middlewareRows(app),
    ]);

    await bookRooms(desk);
    await app.client.flush();
    await new Promise((r) => setTimeout(r, EVENT_GRACE_MS));

    heading('Events received by the wildcard subscribers');
    const received = app.container.resolve(ReceivedEvents);
    const described = app.describe();
    for (const sub of ['logging', 'compliance', 'persistence'] satisfies Subscriber[]) {
      subscriberEvents(sub, described.find((d) => d.name === `hotel.${sub}`), received.of(sub));
    }

    heading('Requests counted (natsmesh_requests_total, as Prometheus would scrape them)');
    for (const row of await requestCounts(app)) line(`  ${row}`);

    heading('App log (warn and above; the logging service writes error and warn events there)');
    for (const l of appLog) {
      const { level, service, subject, msg } = JSON.parse(l) as { level: number; service?: string; subject?: string; msg?: string };
      line(`  ${(level >= 50 ? 'ERROR' : 'WARN').padEnd(5)}  ${(service ?? '').padEnd(13)}  ${(subject ?? '').padEnd(18)}  ${msg ?? ''}`);
    }
  } finally {
    await desk?.close();
    await app?.stop();
    await nats.stop();
  }
  line();
  line(nats.started ? 'Stopped the app and the nats-server the demo started.' : 'Stopped the app.');
}

async function bookRooms(desk: MeshClient): Promise<void> {
  const booking = desk.service<BookingService>('hotel.booking');
  const done = (b: Booking) => `${b.id}  ${b.status}  ${b.guest}, room ${b.room}, ${b.nights} night(s), ${b.total} ${b.currency}  (payment ${b.paymentId ?? '-'})`;
  let step = 0;
  const attempt = async <T>(subject: string, body: unknown, call: () => Promise<T>, summary: (reply: T) => string, note = ''): Promise<T | undefined> => {
    line();
    line(`  ${String(++step).padStart(2)}. ${subject.padEnd(20)}  ${short(body)}${note}`);
    try {
      const reply = await call();
      outcome({ ok: true, summary: summary(reply) });
      return reply;
    } catch (error) {
      outcome({ ok: false, error });
      return undefined;
    }
  };

  heading('Front desk requests (a separate client, over NATS)');
  const ann = { guest: 'Ann', room: 101, nights: 3, email: 'ann@example.com' };
  await attempt('hotel.booking.save', ann, () => booking.save(ann), done);
  const bob = { guest: 'Bob', room: 201, nights: 2 };
  const bobs = await attempt('hotel.booking.save', bob, () => booking.save(bob), done);
  const invalid = { guest: '', room: 0, nights: 45, email: 'not-an-email' };
  await attempt('hotel.booking.save', invalid, () => booking.save(invalid), done);
  const carol = { guest: 'Carol', room: 301, nights: 6 };
  await attempt('hotel.booking.save', carol, () => booking.save(carol), done);
  const dan = { guest: 'Dan', room: 101, nights: 1 };
  await attempt('hotel.booking.save', dan, () => booking.save(dan), done);
  if (bobs) {
    // Cancelling refunds money: the StaffOnly guard wants a staff badge in the X-Hotel-Staff header.
    const ref = { id: bobs.id };
    const badge = STAFF_BADGES[0];
    const staff = { headers: { [STAFF_HEADER]: badge } };
    await attempt('hotel.booking.cancel', ref, () => booking.cancel(ref), done, '  (no staff badge)');
    await attempt('hotel.booking.cancel', ref, () => booking.cancel(ref, staff), done, `  ${STAFF_HEADER}: ${badge}`);
    await attempt('hotel.booking.cancel', ref, () => booking.cancel(ref, staff), done, `  ${STAFF_HEADER}: ${badge}  (again)`);
  }
  const missing = { id: 'bk-000000' };
  await attempt('hotel.booking.get', missing, () => booking.get(missing), done);
  await attempt('hotel.booking.list', undefined, () => booking.list(), (all) => `${all.length} booking(s): ${all.map((b) => `${b.id} ${b.guest} ${b.status}`).join(', ')}`);
}

/** The non-zero `natsmesh_requests_total` series: service, endpoint, code and count. */
async function requestCounts(app: App): Promise<string[]> {
  const metric = app.metrics?.getSingleMetric('natsmesh_requests_total');
  if (!metric) return [];
  const { values } = await metric.get();
  return values
    .filter((v) => v.value > 0)
    .map((v) => `${String(v.labels.service).padEnd(15)} ${String(v.labels.endpoint).padEnd(8)} ${String(v.labels.code).padEnd(18)} ${v.value}`)
    .sort();
}

/** One `middleware` row per endpoint that has any, as `app.describe()` lists them (outermost first). */
function middlewareRows(app: App): [string, string][] {
  const rows = app.describe().flatMap((s) => s.endpoints.filter((e) => (e.middleware ?? []).length > 0).map((e) => `${e.subject}: ${e.middleware!.join(' -> ')}`));
  return rows.map((r, i) => [i === 0 ? 'middleware' : '', r]);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
