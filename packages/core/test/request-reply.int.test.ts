import 'reflect-metadata';
import { IsInt, IsString, Min } from 'class-validator';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { injectable } from 'tsyringe';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, MeshError, Service, type App, type Context } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

class SaveBooking {
  @IsString() guest!: string;
  @IsInt() @Min(1) room!: number;
}

@injectable()
class BookingRepo {
  private readonly rows: SaveBooking[] = [];
  add(b: SaveBooking) {
    this.rows.push(b);
    return this.rows.length;
  }
}

interface BookingApi {
  save(input: SaveBooking): Promise<{ id: number; isDto: boolean }>;
  echo(input: unknown): unknown;
}

@Service('hotel.booking', { version: '1.2.0' })
class BookingService {
  constructor(private readonly repo: BookingRepo) {}

  @Handle('save')
  async save(input: SaveBooking) {
    return { id: this.repo.add(input), isDto: input instanceof SaveBooking };
  }

  @Handle('echo')
  echo(input: unknown) {
    return input;
  }

  @Handle('nothing')
  nothing() {
    return undefined;
  }

  @Handle('conflict')
  conflict() {
    throw new MeshError('ROOM_TAKEN', 'Room 3 is booked', { room: 3 }, { status: 409 });
  }

  @Handle('crash')
  crash() {
    throw new TypeError('secret: db password is hunter2');
  }

  @Handle('slow')
  async slow(input: { ms: number }) {
    await new Promise((r) => setTimeout(r, input.ms));
    return { done: true };
  }

  @Handle('big')
  big(input: { size: number }) {
    return 'x'.repeat(input.size);
  }

  @Handle('context')
  context(_input: unknown, ctx: Context) {
    return { subject: ctx.subject, service: ctx.service, endpoint: ctx.endpoint, instanceId: ctx.instanceId, trace: ctx.headers?.get('trace-id') ?? null };
  }
}

describe('request/reply over a real nats-server', () => {
  let server: NatsServerHandle;
  let app: App;
  let raw: NatsConnection;
  const jc = JSONCodec();

  beforeAll(async () => {
    server = await startNatsServer({ config: { max_payload: 64 * 1024 } });
    app = await createApp({ services: [BookingService], nats: { servers: server.url }, instance: 'booking-1', logger: quietLogger() });
    await app.start();
    raw = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await raw?.close();
    await app?.stop();
    await server?.stop();
  });

  it('validates the input into a DTO instance and replies with JSON', async () => {
    await expect(app.client.request('hotel.booking.save', { guest: 'Ann', room: 3 })).resolves.toEqual({ id: 1, isDto: true });
  });

  it('answers VALIDATION_FAILED with per-field details', async () => {
    const err = await app.client.request('hotel.booking.save', { guest: 42, room: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshError);
    expect(err).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      details: [
        { field: 'guest', constraints: { isString: 'guest must be a string' } },
        { field: 'room', constraints: { min: 'room must not be less than 1' } },
      ],
    });
  });

  it('serves a plain nats.js client: JSON in, JSON out', async () => {
    const msg = await raw.request('hotel.booking.save', jc.encode({ guest: 'Bob', room: 4 }), { timeout: 2000 });
    expect(msg.headers).toBeUndefined();
    expect(jc.decode(msg.data)).toMatchObject({ isDto: true });
  });

  it('gives a plain nats.js client the NATS micro error headers and a JSON error body', async () => {
    const msg = await raw.request('hotel.booking.save', jc.encode({ guest: 'Bob' }), { timeout: 2000 });
    expect(msg.headers?.get('Nats-Service-Error-Code')).toBe('400');
    expect(msg.headers?.get('Nats-Service-Error')).toMatch(/room/);
    expect(jc.decode(msg.data)).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'room' }] });
  });

  it('answers malformed JSON with BAD_REQUEST and keeps serving', async () => {
    const msg = await raw.request('hotel.booking.save', new TextEncoder().encode('{"guest":'), { timeout: 2000 });
    expect(msg.headers?.get('Nats-Service-Error-Code')).toBe('400');
    expect(jc.decode(msg.data)).toMatchObject({ code: 'BAD_REQUEST' });
    await expect(app.client.request('hotel.booking.echo', { still: 'here' })).resolves.toEqual({ still: 'here' });
  });

  it('passes a MeshError thrown by a handler to the caller with its code, status and details', async () => {
    await expect(app.client.request('hotel.booking.conflict')).rejects.toMatchObject({
      code: 'ROOM_TAKEN',
      status: 409,
      message: 'Room 3 is booked',
      details: { room: 3 },
    });
  });

  it('turns an unknown exception into INTERNAL without its message or stack', async () => {
    const msg = await raw.request('hotel.booking.crash', jc.encode({}), { timeout: 2000 });
    const body = new TextDecoder().decode(msg.data);
    expect(msg.headers?.get('Nats-Service-Error-Code')).toBe('500');
    expect(body).not.toMatch(/hunter2|TypeError|at /);
    await expect(app.client.request('hotel.booking.crash')).rejects.toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('fails at once with NO_RESPONDERS when nobody listens', async () => {
    const err = await app.client.request('hotel.nobody.here', {}, { timeout: 60_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NO_RESPONDERS' });
  });

  it('times out with TIMEOUT per call, and the handler later finishing does not resolve it', async () => {
    await expect(app.client.request('hotel.booking.slow', { ms: 300 }, { timeout: 50 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(app.client.request('hotel.booking.slow', { ms: 10 }, { timeout: 2000 })).resolves.toEqual({ done: true });
  });

  it('uses the default timeout set per app', async () => {
    const client = await createClient({ nats: { servers: server.url }, timeout: 40 });
    try {
      await expect(client.request('hotel.booking.slow', { ms: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    } finally {
      await client.close();
    }
  });

  it('replies undefined as an empty payload', async () => {
    await expect(app.client.request('hotel.booking.nothing')).resolves.toBeUndefined();
  });

  it('rejects an oversized request with PAYLOAD_TOO_LARGE before sending it', async () => {
    await expect(app.client.request('hotel.booking.echo', { blob: 'x'.repeat(100 * 1024) })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers PAYLOAD_TOO_LARGE when the reply exceeds max_payload, and keeps serving', async () => {
    await expect(app.client.request('hotel.booking.big', { size: 100 * 1024 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(app.client.request('hotel.booking.big', { size: 3 })).resolves.toBe('xxx');
  });

  it('rejects an invalid subject with BAD_REQUEST', async () => {
    await expect(app.client.request('hotel booking.save', {})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(app.client.request('hotel.*', {})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('gives handlers a context with subject, service, endpoint, instance id and headers', async () => {
    await expect(app.client.request('hotel.booking.context', {}, { headers: { 'trace-id': 't-1' } })).resolves.toEqual({
      subject: 'hotel.booking.context',
      service: 'hotel.booking',
      endpoint: 'context',
      instanceId: 'booking-1',
      trace: 't-1',
    });
  });

  it('offers a typed service proxy', async () => {
    const booking = app.client.service<BookingApi>('hotel.booking');
    const reply = await booking.save({ guest: 'Cy', room: 2 });
    expect(reply.isDto).toBe(true);
    await expect(booking.echo([1, 2])).resolves.toEqual([1, 2]);
    await expect(Promise.resolve(booking)).resolves.toBe(booking);
  });

  it('offers a proxy built from the service class, mapping methods to their subjects', async () => {
    const booking = app.client.service(BookingService);
    await expect(booking.save({ guest: 'Di', room: 5 })).resolves.toMatchObject({ isDto: true });
    await expect(booking.context(undefined)).resolves.toMatchObject({ subject: 'hotel.booking.context' });
    expect((booking as Record<string, unknown>).notAnEndpoint).toBeUndefined();
  });

  it('serves many concurrent requests, each getting its own reply', async () => {
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => app.client.request('hotel.booking.echo', { i })));
    expect(replies).toEqual(Array.from({ length: 500 }, (_, i) => ({ i })));
  });
});
