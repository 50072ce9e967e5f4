import 'reflect-metadata';
import { IsInt, Min } from 'class-validator';
import { connect, JSONCodec, type NatsConnection, type ServiceIdentity, type ServiceInfo, type ServiceStats } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  createApp,
  createClient,
  Handle,
  HEARTBEAT_SUBJECT,
  MeshRegistry,
  Service,
  gather,
  UP_SUBJECT,
  type App,
  type InstanceState,
  type MeshClient,
} from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { assertSrvResponse } from './srv-schemas';

class Nights {
  @IsInt() @Min(1) nights!: number;
}

@Service('disco.rooms', { version: '2.1.0', description: 'Rooms for discovery tests', metadata: { team: 'front' } })
class RoomsService {
  @Handle('reserve', { description: 'hold a room' })
  async reserve(input: Nights) {
    await new Promise((r) => setTimeout(r, 60));
    return { nights: input.nights };
  }
}

@Service('disco.desk')
class DeskService {
  @Handle('hello')
  hello() {
    return 'hi';
  }
}

@Service('disco.lobby', { version: '1.0.0-rc.1+build.5', metadata: { floor: '0' } })
class LobbyService {
  @Handle('greet')
  greet() {
    return 'welcome';
  }
}

@Service('disco.spa')
class SpaService {
  @Handle('book.slot', { description: 'a dotted endpoint name' })
  book() {
    return 'booked';
  }
}

/** Every `$SRV` reply a test reads goes through the official schema first. */
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    assertSrvResponse(x);
    out.push(x);
  }
  return out;
}

/** The raw JSON replies on a `$SRV` subject, each checked against the official schema. */
async function srv(nc: NatsConnection, subject: string): Promise<ServiceIdentity[]> {
  const replies = await gather<ServiceIdentity>(nc, subject, { maxWait: 1000, quiet: 100 });
  replies.forEach(assertSrvResponse);
  return replies;
}

describe('discovery', () => {
  let server: NatsServerHandle;
  let rooms: App;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    rooms = await createApp({ services: [RoomsService], nats: { servers: server.url }, instance: { id: 'rooms-1', zone: 'eu-1' }, logger: quietLogger() });
    await rooms.start();
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await rooms?.stop();
    await server?.stop();
  });

  describe('NATS Service API, seen by nats.js services.client()', () => {
    it('answers PING at every level', async () => {
      const c = nc.services.client();
      const all = (await collect(await c.ping())) as ServiceIdentity[];
      expect(all).toEqual([
        {
          type: 'io.nats.micro.v1.ping_response',
          name: 'disco_rooms',
          id: 'rooms-1-disco_rooms',
          version: '2.1.0',
          metadata: expect.objectContaining({ team: 'front', zone: 'eu-1', 'natsmesh.service': 'disco.rooms', 'natsmesh.instance': 'rooms-1' }),
        },
      ]);
      expect(all[0].metadata?.['natsmesh.version']).toMatch(/^\d+\.\d+\.\d+/);
      expect(all[0].metadata?.host).toBeTruthy();
      expect(await collect(await c.ping('disco_rooms'))).toHaveLength(1);
      expect(await collect(await c.ping('disco_rooms', 'rooms-1-disco_rooms'))).toHaveLength(1);
    });

    it('answers INFO with endpoints, subjects, queue groups and input metadata', async () => {
      const [info] = (await collect(await nc.services.client().info('disco_rooms'))) as ServiceInfo[];
      expect(info).toMatchObject({
        type: 'io.nats.micro.v1.info_response',
        name: 'disco_rooms',
        description: 'Rooms for discovery tests',
        endpoints: [
          {
            name: 'reserve',
            subject: 'disco.rooms.reserve',
            queue_group: 'disco.rooms',
            metadata: expect.objectContaining({ 'natsmesh.input': 'Nights', description: 'hold a room' }),
          },
        ],
      });
      const schema = JSON.parse(info.endpoints[0].metadata?.input_schema ?? 'null') as { properties?: Record<string, unknown> };
      expect(schema?.properties?.nights).toMatchObject({ type: 'integer', minimum: 1 });
    });

    it('answers STATS with counts, errors and processing time in ns including async work', async () => {
      const c = nc.services.client();
      const [before] = (await collect(await c.stats('disco_rooms', 'rooms-1-disco_rooms'))) as ServiceStats[];
      expect(before.endpoints![0]).toMatchObject({ num_requests: 0, num_errors: 0, last_error: '', processing_time: 0 });

      const client = await createClient({ nats: { servers: server.url } });
      await client.request('disco.rooms.reserve', { nights: 2 });
      await client.request('disco.rooms.reserve', { nights: 0 }).catch(() => undefined);
      await client.close();

      const [after] = (await collect(await c.stats('disco_rooms', 'rooms-1-disco_rooms'))) as ServiceStats[];
      const e = after.endpoints![0];
      expect(after.started).toEqual(new Date(after.started).toISOString());
      expect(e.num_requests).toBe(2);
      expect(e.num_errors).toBe(1);
      expect(e.last_error).toMatch(/^400:Invalid Nights/);
      expect(e.processing_time).toBeGreaterThanOrEqual(55e6);
      expect(e.average_processing_time).toBe(Math.round(e.processing_time / 2));
    });

    it('does not answer when discovery is off', async () => {
      const hidden = await createApp({ services: [DeskService], nats: { servers: server.url }, discovery: false, logger: quietLogger() });
      await hidden.start();
      try {
        const names = ((await collect(await nc.services.client().ping())) as ServiceIdentity[]).map((p) => p.name);
        expect(names).toEqual(['disco_rooms']);
      } finally {
        await hidden.stop();
      }
    });
  });

  describe('ADR-32 conformance', () => {
    it('gives each hosted service its own $SRV id, derived from the app id, addressable and stable', async () => {
      const pair = await createApp({ services: [LobbyService, SpaService], nats: { servers: server.url }, instance: 'pair-1', logger: quietLogger() });
      await pair.start();
      const client = await createClient({ nats: { servers: server.url } });
      try {
        const mine = (await srv(nc, '$SRV.PING')).filter((p) => p.metadata?.['natsmesh.instance'] === 'pair-1');
        expect(mine.map((p) => [p.name, p.id]).sort()).toEqual([
          ['disco_lobby', 'pair-1-disco_lobby'],
          ['disco_spa', 'pair-1-disco_spa'],
        ]);
        for (const verb of ['PING', 'INFO', 'STATS']) {
          const lobby = await srv(nc, `$SRV.${verb}.disco_lobby.pair-1-disco_lobby`);
          expect(lobby.map((r) => [r.name, r.id])).toEqual([['disco_lobby', 'pair-1-disco_lobby']]);
          expect(await srv(nc, `$SRV.${verb}.disco_spa`)).toEqual([expect.objectContaining({ id: 'pair-1-disco_spa' })]);
          expect(await srv(nc, `$SRV.${verb}.disco_spa.pair-1-disco_lobby`)).toEqual([]);
          expect(await srv(nc, `$SRV.${verb}.disco_lobby.pair-1`)).toEqual([]);
        }
        expect((await srv(nc, '$SRV.PING.disco_lobby')).map((p) => p.id)).toEqual(['pair-1-disco_lobby']);

        // The registry, heartbeats and instance-addressed subjects stay per app.
        const [state] = await client.waitFor('disco.spa', { timeout: 2000 });
        expect(state.info.id).toBe('pair-1');
        expect(state.info.services.map((d) => d.name)).toEqual(['disco.lobby', 'disco.spa']);
        await expect(client.request('$NATSMESH.I.pair-1.disco.spa.book.slot')).resolves.toBe('booked');
      } finally {
        await client.close();
        await pair.stop();
      }
    });

    it('checks replies with schemas that do refuse what natsmesh now refuses at boot', async () => {
      const [ping] = await srv(nc, '$SRV.PING.disco_rooms');
      expect(() => assertSrvResponse({ ...ping, version: '1.2.3-rc..1' })).toThrow(/version/);
      expect(() => assertSrvResponse({ ...ping, metadata: { replicas: 3 } })).toThrow(/metadata/);
      expect(() => assertSrvResponse({ ...ping, name: 'disco.rooms' })).toThrow(/name/);
    });

    it('serves a dotted endpoint under a valid $SRV endpoint name and a prerelease+build version', async () => {
      const pair = await createApp({ services: [LobbyService, SpaService], nats: { servers: server.url }, instance: 'pair-2', logger: quietLogger() });
      await pair.start();
      try {
        const [spa] = (await collect(await nc.services.client().info('disco_spa', 'pair-2-disco_spa'))) as ServiceInfo[];
        expect(spa.endpoints).toEqual([expect.objectContaining({ name: 'book_slot', subject: 'disco.spa.book.slot' })]);
        const [lobby] = (await collect(await nc.services.client().stats('disco_lobby', 'pair-2-disco_lobby'))) as ServiceStats[];
        expect(lobby).toMatchObject({ version: '1.0.0-rc.1+build.5', metadata: expect.objectContaining({ floor: '0', 'natsmesh.instance': 'pair-2' }) });
      } finally {
        await pair.stop();
      }
    });
  });

  describe('mesh registry', () => {
    let client: MeshClient;

    beforeEach(async () => {
      client = await createClient({ nats: { servers: server.url } });
    });

    afterEach(async () => {
      await client.close();
    });

    it('bootstraps with the running instances and their full descriptions', async () => {
      const [state] = await client.waitFor('disco.rooms', { timeout: 2000 });
      expect(state.info).toMatchObject({ id: 'rooms-1', zone: 'eu-1', heartbeatInterval: 5000 });
      expect(state.info.services[0]).toMatchObject({ name: 'disco.rooms', endpoints: [{ subject: 'disco.rooms.reserve', input: 'Nights' }] });
      expect((await client.registry()).services()).toEqual(['disco.rooms']);
    });

    it('sees an instance come up, carry load in heartbeats, and drop at once on a clean stop', async () => {
      const registry = await client.registry();
      const events: string[] = [];
      registry.on('up', (s: InstanceState) => events.push(`up ${s.info.id}`));
      registry.on('down', (s: InstanceState, why: string) => events.push(`down ${s.info.id} ${why}`));
      const desk = await createApp({ services: [DeskService], nats: { servers: server.url }, instance: 'desk-1', discovery: { heartbeatInterval: 100 }, logger: quietLogger() });
      await desk.start();
      await client.waitFor('disco.desk', { timeout: 2000 });
      await client.request('disco.desk.hello');
      await new Promise((r) => setTimeout(r, 250));
      expect(registry.instances('disco.desk')[0].load).toMatchObject({ id: 'desk-1', inFlight: 0 });
      await desk.stop();
      await client.flush();
      await new Promise((r) => setTimeout(r, 20));
      expect(registry.instances('disco.desk')).toEqual([]);
      expect(events).toEqual(['up desk-1', 'down desk-1 stopped']);
    });

    it('fails waitFor with TIMEOUT for a service nobody runs', async () => {
      await expect(client.waitFor('disco.nobody', { timeout: 100 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    });

    it('holds 1000 instances and expires those that stop sending heartbeats', async () => {
      // The TTL is 15 heartbeat intervals so that a loaded machine delaying the heartbeat
      // timer never expires a live instance; the silent ones are waited for, not timed.
      const registry = new MeshRegistry(nc, { ttl: 1500, bootstrapWait: 100 });
      await registry.start();
      const jc = JSONCodec();
      const ids = Array.from({ length: 1000 }, (_, i) => `sim-${i}`);
      const simulated = () => registry.instances().filter((s) => s.info.id.startsWith('sim-'));
      for (const id of ids) {
        nc.publish(UP_SUBJECT, jc.encode({ id, host: 'h', started: new Date().toISOString(), natsmesh: '0.1.0', heartbeatInterval: 100, services: [{ name: `sim.s${Number(id.slice(4)) % 10}`, version: '1.0.0', queue: 'q', metadata: {}, calls: [], emits: [], endpoints: [], subscriptions: [] }] }));
      }
      await nc.flush();
      for (let i = 0; i < 500 && simulated().length < 1000; i++) await new Promise((r) => setTimeout(r, 10));
      expect(simulated()).toHaveLength(1000);
      expect(registry.instances('sim.s3')).toHaveLength(100);

      // Keep the first half alive with heartbeats; the rest goes silent.
      const alive = ids.slice(0, 500);
      const beat = setInterval(() => {
        for (const id of alive) nc.publish(HEARTBEAT_SUBJECT, jc.encode({ id, inFlight: 1, rate: 2, latencyMs: 3 }));
      }, 100);
      try {
        for (let i = 0; i < 200 && simulated().length > 500; i++) await new Promise((r) => setTimeout(r, 50));
        const left = simulated();
        expect(left.map((s) => s.info.id).sort()).toEqual([...alive].sort());
        expect(left[0].load).toEqual({ id: left[0].info.id, inFlight: 1, rate: 2, latencyMs: 3 });
      } finally {
        clearInterval(beat);
        registry.stop();
      }
    });
  });
});
