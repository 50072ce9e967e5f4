import 'reflect-metadata';
import { connect, type NatsConnection } from 'nats';
import { createClient, createLogger, ERROR_CODE_HEADER, type App, type MeshClient } from '@natsmesh/core';
import { startNatsServer, type NatsServerHandle, catchMeshError } from '@natsmesh/testing';
import { createHotelApp } from '../../examples/hotel/src/hotel-app';

const LIMIT = 64 * 1024;

describe('a payload over the configured limit', () => {
  let server: NatsServerHandle;
  let app: App;
  let desk: MeshClient;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer({ config: { max_payload: 256 * 1024 } });
    app = await createHotelApp({ nats: { servers: server.url }, logger: createLogger({ level: 'silent' }), discovery: false, maxPayload: LIMIT });
    await app.start();
    desk = await createClient({ nats: { servers: server.url } });
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await desk?.close();
    await app?.stop();
    await server?.stop();
  });

  const booking = (bytes: number) => ({ guest: 'Ann', room: 101, nights: 1, note: 'x'.repeat(bytes) });

  it('gets PAYLOAD_TOO_LARGE (413) from the service, before it is decoded', async () => {
    const err = await catchMeshError(desk.request('hotel.booking.save', booking(LIMIT)));
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413, details: { limit: LIMIT } });
    // Not decoded: invalid JSON over the limit gets the same answer, not BAD_REQUEST.
    const raw = await nc.request('hotel.booking.get', new Uint8Array(LIMIT + 1).fill(0xff), { timeout: 5000 });
    expect(raw.headers?.get(ERROR_CODE_HEADER)).toBe('413');
    expect(JSON.parse(new TextDecoder().decode(raw.data))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('lets a payload at the limit through', async () => {
    const body = booking(0);
    const padding = LIMIT - Buffer.byteLength(JSON.stringify(body));
    await expect(desk.request('hotel.booking.save', booking(padding))).resolves.toMatchObject({ status: 'confirmed' });
  });

  it("gets PAYLOAD_TOO_LARGE from the client above the server's max_payload", async () => {
    const err = await catchMeshError(desk.request('hotel.booking.save', booking(300 * 1024)));
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
