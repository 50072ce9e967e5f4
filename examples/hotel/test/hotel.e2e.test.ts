import 'reflect-metadata';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { createClient, createLogger, ERROR_CODE_HEADER, ERROR_HEADER, type App, type MeshClient } from '@natsmesh/core';
import { startNatsServer, type NatsServerHandle, catchMeshError } from '@natsmesh/testing';
import type { Booking } from '../src/booking/booking.repository';
import type { BookingService } from '../src/booking/booking.service';
import { createHotelApp } from '../src/hotel-app';
import type { Room } from '../src/rooms/room.repository';
import type { RoomsService } from '../src/rooms/rooms.service';
import { STAFF_HEADER } from '../src/staff/staff-directory';
import { ReceivedEvents, type Subscriber } from '../src/subscribers/received-events';

const logger = createLogger({ level: 'silent' });

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

/** Request options of a front-desk clerk: the staff badge the StaffOnly guard checks. */
const staff = { headers: { [STAFF_HEADER]: 'desk-01' } };

const subjects = (app: App, who: Subscriber) => app.container.resolve(ReceivedEvents).of(who).map((e) => e.subject);

describe('the hotel app over a real nats-server', () => {
  let server: NatsServerHandle;
  let app: App;
  let desk: MeshClient;

  beforeAll(async () => {
    server = await startNatsServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(async () => {
    app = await createHotelApp({ nats: { servers: server.url }, logger, instance: 'a' });
    await app.start();
    desk = await createClient({ nats: { servers: server.url } });
  });

  afterEach(async () => {
    await desk?.close();
    await app?.stop();
  });

  const booking = () => desk.service<BookingService>('hotel.booking');
  const rooms = () => desk.service<RoomsService>('hotel.rooms');
  const room = async (n: number) => (await rooms().list()).find((r) => r.number === n) as Room & { available: boolean };

  it('books a room: reserves it through hotel.rooms, charges it through hotel.payments, keeps the booking', async () => {
    const saved = await booking().save({ guest: 'Ann', room: 101, nights: 3, email: 'ann@example.com' });

    expect(saved).toEqual({
      id: expect.stringMatching(/^bk-[0-9a-f]{6}$/),
      guest: 'Ann',
      email: 'ann@example.com',
      room: 101,
      nights: 3,
      total: 270,
      currency: 'EUR',
      status: 'confirmed',
      paymentId: expect.stringMatching(/^pay-[0-9a-f]{6}$/),
    });
    expect(await room(101)).toMatchObject({ available: false, heldBy: saved.id });
    await expect(booking().get({ id: saved.id })).resolves.toEqual(saved);
    await expect(booking().list()).resolves.toEqual([saved]);

    const conflict = await catchMeshError(booking().save({ guest: 'Dan', room: 101, nights: 1 }));
    expect(conflict).toMatchObject({ code: 'CONFLICT', status: 409, details: { room: 101 } });

    const cancelled = await booking().cancel({ id: saved.id }, staff);
    expect(cancelled).toMatchObject({ id: saved.id, status: 'cancelled' });
    expect(await room(101)).toMatchObject({ available: true });
    expect((await room(101)).heldBy).toBeUndefined();
    expect(await catchMeshError(booking().cancel({ id: saved.id }, staff))).toMatchObject({ code: 'CONFLICT', details: { status: 'cancelled' } });
  });

  it('declines a charge above the limit with PAYMENT_DECLINED (402) and frees the room again', async () => {
    const err = await catchMeshError(booking().save({ guest: 'Carol', room: 301, nights: 6 }));

    expect(err).toMatchObject({ code: 'PAYMENT_DECLINED', status: 402, details: { amount: 2700, limit: 2000, currency: 'EUR' } });
    expect(await room(301)).toMatchObject({ available: true });
    await expect(booking().list()).resolves.toEqual([]);
  });

  it('delivers each event to the subscribers whose wildcard patterns match it', async () => {
    const ann = await booking().save({ guest: 'Ann', room: 101, nights: 3 });
    await catchMeshError(booking().save({ guest: 'Carol', room: 301, nights: 6 }));
    await booking().cancel({ id: ann.id }, staff);
    await app.client.flush();
    await until(() => subjects(app, 'persistence').length >= 10, 'ten events in the persistence log');

    expect(subjects(app, 'persistence')).toEqual([
      'app.rooms.info', 'app.payments.save', 'app.booking.save', // Ann books
      'app.rooms.info', 'app.payments.error', 'app.rooms.info', 'app.booking.warn', // Carol is declined
      'app.payments.delete', 'app.rooms.info', 'app.booking.delete', // Ann cancels
    ]);
    expect(subjects(app, 'logging')).toEqual([
      'app.rooms.info',
      'app.rooms.info', 'app.payments.error', 'app.rooms.info', 'app.booking.warn',
      'app.rooms.info',
    ]);
    expect(subjects(app, 'compliance')).toEqual(['app.payments.save', 'app.booking.save', 'app.payments.delete', 'app.booking.delete']);

    const received = app.container.resolve(ReceivedEvents);
    expect(received.of('compliance')[1]).toMatchObject({
      instanceId: 'a',
      payload: { bookingId: ann.id, guest: 'Ann', room: 101, nights: 3, total: 270 },
    });
    expect(received.of('logging').find((e) => e.subject === 'app.payments.error')?.payload).toMatchObject({ guest: 'Carol', amount: 2700 });
  });

  it('rejects an invalid body with VALIDATION_FAILED and per-field details, before the handler runs', async () => {
    const err = await catchMeshError(booking().save({ guest: '', room: 0, nights: 45, email: 'not-an-email' }));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.status).toBe(400);
    expect(err.details).toEqual([
      { field: 'guest', constraints: { isNotEmpty: 'guest should not be empty' } },
      { field: 'room', constraints: { min: 'room must not be less than 1' } },
      { field: 'nights', constraints: { max: 'nights must not be greater than 30' } },
      { field: 'email', constraints: { isEmail: 'email must be an email' } },
    ]);
    await app.client.flush();
    expect(subjects(app, 'persistence')).toEqual([]);
    expect(await room(101)).toMatchObject({ available: true });
  });

  it('answers NOT_FOUND for an unknown booking', async () => {
    const get = await catchMeshError(booking().get({ id: 'bk-000000' }));
    expect(get).toMatchObject({ code: 'NOT_FOUND', status: 404, details: { id: 'bk-000000' } });
    expect(get.message).toContain('bk-000000');
    await expect(catchMeshError(booking().cancel({ id: 'bk-000000' }, staff))).resolves.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets only staff cancel: the StaffOnly guard answers FORBIDDEN (403) without a known badge, and nothing is refunded', async () => {
    const saved = await booking().save({ guest: 'Ann', room: 101, nights: 3 });

    const anonymous = await catchMeshError(booking().cancel({ id: saved.id }));
    expect(anonymous).toMatchObject({ code: 'FORBIDDEN', status: 403, details: { guard: 'StaffOnly' } });
    expect(anonymous.message).toContain('refused by the guard StaffOnly');
    const stranger = await catchMeshError(booking().cancel({ id: saved.id }, { headers: { [STAFF_HEADER]: 'guest-42' } }));
    expect(stranger.code).toBe('FORBIDDEN');
    // The guard runs before the body is validated: a refused caller learns nothing about the body.
    expect(await catchMeshError(booking().cancel({ id: '' }))).toMatchObject({ code: 'FORBIDDEN' });

    // The handler never ran: still confirmed, the room still held, no refund.
    await expect(booking().get({ id: saved.id })).resolves.toMatchObject({ status: 'confirmed' });
    expect(await room(101)).toMatchObject({ available: false, heldBy: saved.id });
    await app.client.flush();
    expect(subjects(app, 'persistence')).not.toContain('app.payments.delete');

    await expect(booking().cancel({ id: saved.id }, staff)).resolves.toMatchObject({ id: saved.id, status: 'cancelled' });
    expect(await room(101)).toMatchObject({ available: true });
  });

  it('maps the booking store errors to NOT_FOUND and CONFLICT in the BookingStoreErrors interceptor, around every booking endpoint', async () => {
    const saved = await booking().save({ guest: 'Ann', room: 102, nights: 1 });
    await booking().cancel({ id: saved.id }, staff);

    // The repository throws a StaleRecordError, as a database library would; the caller gets a code it can act on, not INTERNAL.
    const again = await catchMeshError(booking().cancel({ id: saved.id }, staff));
    expect(again).toMatchObject({ code: 'CONFLICT', status: 409, details: { status: 'cancelled' } });
    expect(again.message).toBe(`Booking ${saved.id} is cancelled: only a confirmed booking can be cancelled.`);
    await expect(catchMeshError(booking().get({ id: 'bk-ffffff' }))).resolves.toMatchObject({ code: 'NOT_FOUND', details: { id: 'bk-ffffff' } });

    const [described] = app.describe().filter((d) => d.name === 'hotel.booking');
    const middleware = Object.fromEntries(described.endpoints.map((e) => [e.name, e.middleware]));
    expect(middleware).toEqual({
      save: ['BookingStoreErrors'],
      get: ['BookingStoreErrors'],
      cancel: ['BookingStoreErrors', 'StaffOnly'],
      list: ['BookingStoreErrors'],
    });
  });

  describe('with a plain nats.js client', () => {
    let nc: NatsConnection;
    const jc = JSONCodec();

    beforeEach(async () => {
      nc = await connect({ servers: server.url });
    });

    afterEach(async () => {
      await nc?.close();
    });

    it('replies JSON to a JSON request', async () => {
      const msg = await nc.request('hotel.booking.save', jc.encode({ guest: 'Ann', room: 102, nights: 2 }), { timeout: 2000 });

      expect(msg.headers?.get(ERROR_CODE_HEADER) ?? '').toBe('');
      expect(jc.decode(msg.data)).toMatchObject({ guest: 'Ann', room: 102, nights: 2, total: 180, status: 'confirmed' });
    });

    it('answers an invalid body with the NATS micro error headers and a { code, message, details } body', async () => {
      const msg = await nc.request('hotel.booking.save', jc.encode({ guest: 'Ann', room: 'one' }), { timeout: 2000 });

      expect(ERROR_HEADER).toBe('Nats-Service-Error');
      expect(ERROR_CODE_HEADER).toBe('Nats-Service-Error-Code');
      expect(msg.headers?.get('Nats-Service-Error-Code')).toBe('400');
      expect(msg.headers?.get('Nats-Service-Error')).toMatch(/^Invalid SaveBooking: /);
      const body = jc.decode(msg.data) as { code: string; message: string; details: { field: string }[] };
      expect(body).toEqual({ code: 'VALIDATION_FAILED', message: msg.headers?.get('Nats-Service-Error'), details: expect.any(Array) });
      expect(body.details.map((d) => d.field)).toEqual(['room', 'nights']);
    });

    it('sees a guard refusal as status 403 in the NATS micro error headers', async () => {
      const msg = await nc.request('hotel.booking.cancel', jc.encode({ id: 'bk-000000' }), { timeout: 2000 });

      expect(msg.headers?.get('Nats-Service-Error-Code')).toBe('403');
      expect(jc.decode(msg.data)).toMatchObject({ code: 'FORBIDDEN', details: { guard: 'StaffOnly' } });
    });
  });

  it('audits each save and delete once across two app instances (queue: true), while fan-out subscribers see every event on both', async () => {
    const other = await createHotelApp({ nats: { servers: server.url }, logger, instance: 'b' });
    await other.start();
    try {
      const apps = [app, other];
      const all = (who: Subscriber) => apps.flatMap((a) => a.container.resolve(ReceivedEvents).of(who));
      const saved: Booking[] = [];
      for (const n of [101, 102, 201, 202]) saved.push(await booking().save({ guest: `guest-${n}`, room: n, nights: 1 }));
      // Each instance keeps its own in-memory bookings, so a cancel could reach the instance that
      // does not know the booking; the delete events come straight from the client instead.
      for (const id of ['bk-gone01', 'bk-gone02']) desk.emit('app.booking.delete', { bookingId: id });
      // 4 x (rooms.info, payments.save, booking.save) + 2 x booking.delete
      const total = 14;
      await desk.flush();
      await Promise.all(apps.map((a) => a.client.flush()));
      await until(() => apps.every((a) => subjects(a, 'persistence').length >= total) && all('compliance').length >= 10, 'every event');
      await new Promise((r) => setTimeout(r, 100)); // room for a duplicate to show up

      const audited = all('compliance');
      expect(audited).toHaveLength(10);
      const keys = audited.map((e) => `${e.subject} ${(e.payload as { bookingId: string }).bookingId}`).sort();
      expect(keys).toEqual(
        [
          ...saved.flatMap((b) => [`app.booking.save ${b.id}`, `app.payments.save ${b.id}`]),
          'app.booking.delete bk-gone01',
          'app.booking.delete bk-gone02',
        ].sort(),
      );
      for (const e of audited) expect(['a', 'b']).toContain(e.instanceId);
      for (const a of apps) {
        expect(subjects(a, 'persistence')).toHaveLength(total);
        expect(subjects(a, 'logging')).toEqual(Array(4).fill('app.rooms.info'));
      }
    } finally {
      await other.stop();
    }
  });
});
