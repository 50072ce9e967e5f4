import 'reflect-metadata';
import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, gather, Handle, HEALTH_SUBJECT, On, Service, type App, type HealthReport } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { until } from './until';

let release: () => void = () => undefined;
let holding = 0;

@Service('health.desk', { version: '1.4.0' })
class DeskService {
  @Handle('hold')
  hold() {
    holding++;
    return new Promise<string>((resolve) => (release = () => resolve('done')));
  }
}

@Service('health.spa')
class SpaService {
  @Handle('book')
  book() {
    return 'booked';
  }
}

@Service('health.audit')
class AuditService {
  @On('health.audit.events', { durable: 'audit' })
  audit() {}
}

/** Every health answer on `subject`, sorted by instance id. */
async function ask(nc: NatsConnection, subject: string): Promise<HealthReport[]> {
  const replies = await gather<HealthReport>(nc, subject, { maxWait: 2000, quiet: 200 });
  return replies.sort((a, b) => a.id.localeCompare(b.id));
}

describe('health over NATS', () => {
  let server: NatsServerHandle;
  let desk: App;
  let spa: App;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer();
    // Neither app serves metrics over HTTP: health over NATS does not need them.
    desk = await createApp({ services: [DeskService, SpaService], nats: { servers: server.url }, instance: { id: 'desk-1', zone: 'eu-1' }, logger: quietLogger() });
    spa = await createApp({ services: [SpaService], nats: { servers: server.url }, instance: 'spa-1', logger: quietLogger() });
    await desk.start();
    await spa.start();
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    release();
    await nc?.close();
    await desk?.stop();
    await spa?.stop();
    await server?.stop();
  });

  it(`every started app answers ${'$NATSMESH.HEALTH'} with ready, its services, uptime in ms and what is in flight`, async () => {
    const replies = await ask(nc, HEALTH_SUBJECT);
    expect(replies).toEqual([
      {
        id: 'desk-1',
        status: 'ready',
        uptime: expect.any(Number),
        inFlight: 0,
        services: [
          { name: 'health.desk', version: '1.4.0' },
          { name: 'health.spa', version: '0.0.0' },
        ],
        host: expect.any(String),
        zone: 'eu-1',
      },
      { id: 'spa-1', status: 'ready', uptime: expect.any(Number), inFlight: 0, services: [{ name: 'health.spa', version: '0.0.0' }], host: expect.any(String) },
    ]);
    for (const r of replies) expect(Number.isInteger(r.uptime) && r.uptime >= 0).toBe(true);
  });

  it('one instance answers on its own subject, as app.health() says', async () => {
    const replies = await ask(nc, `${HEALTH_SUBJECT}.spa-1`);
    expect(replies).toEqual([expect.objectContaining({ id: 'spa-1', status: 'ready' })]);
    expect({ ...spa.health(), uptime: 0 }).toEqual({ ...replies[0], uptime: 0 });
    expect(await ask(nc, `${HEALTH_SUBJECT}.nobody`)).toEqual([]);
  });

  it('counts the handlers in flight', async () => {
    const client = await createClient({ nats: { servers: server.url }, timeout: 3000 });
    try {
      const before = holding;
      const held = client.request('health.desk.hold', {});
      held.catch(() => undefined); // on a failed assertion, the close below rejects it
      await until(() => holding === before + 1, 'the held request');
      const [desk1] = await ask(nc, `${HEALTH_SUBJECT}.desk-1`);
      expect(desk1).toMatchObject({ id: 'desk-1', status: 'ready', inFlight: 1 });
      release();
      await held;
    } finally {
      await client.close();
    }
  });
});

describe('health while the app stops', () => {
  it('answers stopping (as /readyz does, with the same reason) until the handlers in flight are done, then nothing', async () => {
    const server = await startNatsServer();
    const app = await createApp({ services: [DeskService], nats: { servers: server.url }, instance: 'desk-2', logger: quietLogger(), metrics: { port: 0, host: '127.0.0.1', defaultMetrics: false } });
    const client = await createClient({ nats: { servers: server.url }, timeout: 3000 });
    const nc = await connect({ servers: server.url });
    try {
      await app.start();
      const ready = app.metricsUrl!.replace(/\/metrics$/, '/readyz');
      const before = holding;
      const held = client.request('health.desk.hold', {});
      held.catch(() => undefined); // on a failed assertion, the close below rejects it
      await until(() => holding === before + 1, 'the held request');
      const stopping = app.stop();
      const [asked] = await ask(nc, `${HEALTH_SUBJECT}.desk-2`);
      expect(asked).toMatchObject({ id: 'desk-2', status: 'stopping', reason: expect.any(String), inFlight: 1 });
      expect(await ask(nc, HEALTH_SUBJECT)).toEqual([expect.objectContaining({ id: 'desk-2', status: 'stopping' })]);
      const readyz = await fetch(ready);
      expect(readyz.status).toBe(503);
      expect(await readyz.json()).toEqual({ status: 'stopping', reason: asked.reason });
      release();
      await expect(held).resolves.toBe('done');
      await stopping;
      expect(await ask(nc, `${HEALTH_SUBJECT}.desk-2`)).toEqual([]);
      expect(app.health()).toMatchObject({ id: 'desk-2', status: 'stopped', inFlight: 0 });
    } finally {
      release();
      await nc.close();
      await client.close();
      await app.stop();
      await server.stop();
    }
  });
});

describe('health while the app starts', () => {
  it('answers starting while start() sets up JetStream, and nothing once start() failed', async () => {
    // A server without JetStream, and the test answering JetStream's API in its place: it asks
    // the app's health while the app waits for that answer, then says JetStream is off.
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    const app = await createApp({ services: [AuditService], nats: { servers: server.url }, instance: 'audit-1', logger: quietLogger() });
    try {
      let seen: HealthReport[] | undefined;
      nc.subscribe('$JS.API.INFO', {
        max: 1,
        callback: (_err, msg) => {
          void ask(nc, `${HEALTH_SUBJECT}.audit-1`).then((replies) => {
            seen = replies;
            msg.respond(JSON.stringify({ type: 'io.nats.jetstream.api.v1.account_info_response', error: { code: 503, err_code: 10039, description: 'jetstream not enabled for account' } }));
          });
        },
      });
      await nc.flush();
      expect(app.health()).toMatchObject({ id: 'audit-1', status: 'created', reason: expect.any(String), uptime: 0 });
      const before = Date.now();
      await expect(app.start()).rejects.toMatchObject({ code: 'JETSTREAM_UNAVAILABLE' });
      // The clock has moved since start() was called: a counting uptime could not read 0.
      await until(() => Date.now() > before + 1, 'the clock to move');
      expect(app.health()).toMatchObject({ id: 'audit-1', status: 'created', uptime: 0 });
      expect(seen).toEqual([expect.objectContaining({ id: 'audit-1', status: 'starting', reason: expect.any(String), inFlight: 0 })]);
      expect(await ask(nc, `${HEALTH_SUBJECT}.audit-1`)).toEqual([]);
    } finally {
      await nc.close();
      await app.stop();
      await server.stop();
    }
  });
});

describe('health with discovery off', () => {
  it('is not answered over NATS, like the rest of discovery', async () => {
    const server = await startNatsServer();
    const app = await createApp({ services: [SpaService], nats: { servers: server.url }, instance: 'spa-3', discovery: false, logger: quietLogger() });
    const nc = await connect({ servers: server.url });
    try {
      await app.start();
      expect(await ask(nc, HEALTH_SUBJECT)).toEqual([]);
      expect(await ask(nc, `${HEALTH_SUBJECT}.spa-3`)).toEqual([]);
      expect(app.health()).toMatchObject({ id: 'spa-3', status: 'ready' });
      await app.stop();
      expect(app.health()).toMatchObject({ id: 'spa-3', status: 'stopped', reason: expect.any(String), uptime: 0 });
    } finally {
      await nc.close();
      await app.stop();
      await server.stop();
    }
  });
});
