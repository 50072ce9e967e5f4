import 'reflect-metadata';
import { connect, StringCodec } from 'nats';
import { createLogger, Handle, Service } from '@natsmesh/core';
import { createTestApp, startNatsCluster, type NatsClusterHandle, type TestApp } from '@natsmesh/testing';

@Service('hotel.rooms')
class RoomService {
  @Handle('price')
  price(input: { room: number }) {
    return { room: input.room, price: 100 + input.room };
  }
}

describe('hotel.rooms', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ services: [RoomService], logger: createLogger({ level: 'warn' }) });
  });
  afterAll(() => t.stop());

  it('prices a room', async () => {
    await expect(t.app.client.request('hotel.rooms.price', { room: 3 })).resolves.toEqual({ room: 3, price: 103 });
  });
});

describe('a three-node cluster', () => {
  let cluster: NatsClusterHandle;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  });
  afterAll(() => cluster.stop());

  it('carries a reply from node 1 to a caller on node 3, also after node 3 restarts', async () => {
    const sc = StringCodec();
    const responder = await connect({ servers: cluster.urls[0] });
    responder.subscribe('time', { callback: (_err, msg) => msg.respond(sc.encode('noon')) });
    await responder.flush();

    cluster.servers[2].kill();
    await cluster.servers[2].restart(); // same port; resolves once it has rejoined

    const caller = await connect({ servers: cluster.urls[2] });
    const reply = await caller.request('time', sc.encode(''), { timeout: 2000 });
    expect(sc.decode(reply.data)).toBe('noon');
    await caller.close();
    await responder.close();
  });
});
