import 'reflect-metadata';
import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle, catchMeshError } from '@natsmesh/testing';
import { createApp, createClient, DEAD_LETTER_HEADERS, Handle, On, Service, type App, type Context, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { useJetStreamServer } from './jetstream-server';
import { until } from './until';

const handled: { instance: string; id: string; deliveries: number }[] = [];
let failUntil = 0;
let slowMs = 0;
let started = 0;

@Service('durable.audit')
class AuditService {
  @On('dur.booking.save', { durable: 'audit-save' })
  async onSave(evt: { id: string }, ctx: Context) {
    started++;
    if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
    handled.push({ instance: ctx.instanceId, id: evt.id, deliveries: 0 });
  }

  @On('dur.flaky', { durable: 'flaky', maxDeliver: 3, backoff: [50, 100] })
  onFlaky(evt: { id: string }, ctx: Context) {
    const n = handled.filter((h) => h.id === evt.id).length + 1;
    handled.push({ instance: ctx.instanceId, id: evt.id, deliveries: n });
    if (n <= failUntil) throw new Error(`flaky failure ${n}`);
  }
}

@Service('durable.size')
class SizeService {
  @Handle('echo')
  echo(input: unknown) {
    return input;
  }
}

describe('durable events over JetStream', () => {
  let server: NatsServerHandle;
  let a: App;
  let b: App;
  let client: MeshClient;
  let nc: NatsConnection;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    const boot = (instance: string) => createApp({ services: [AuditService], nats: { servers: server.url }, instance, logger: quietLogger(logs), discovery: false });
    a = await boot('a');
    b = await boot('b');
    await a.start();
    await b.start();
    client = await createClient({ nats: { servers: server.url } });
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await client?.close();
    await nc?.close();
    await a?.stop();
    await b?.stop();
    await server?.stop();
  });

  beforeEach(() => {
    handled.length = 0;
    failUntil = 0;
    slowMs = 0;
    started = 0;
  });

  it('creates the stream and the shared consumer at start', async () => {
    const jsm = await nc.jetstreamManager();
    const stream = await jsm.streams.info('NATSMESH_dur');
    expect([...(stream.config.subjects ?? [])].sort()).toEqual(['dur.booking.save', 'dur.flaky']);
    const consumer = await jsm.consumers.info('NATSMESH_dur', 'audit-save');
    expect(consumer.config).toMatchObject({ filter_subject: 'dur.booking.save', ack_policy: 'explicit', max_deliver: 5 });
  });

  it('hands each event to one instance of the service, acks it, and drops a duplicate id', async () => {
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => client.emit('dur.booking.save', { id: `e${i}` }, { durable: true, id: `e${i}` })));
    expect(acks.every((k) => k.stream === 'NATSMESH_dur' && !k.duplicate)).toBe(true);
    const again = await client.emit('dur.booking.save', { id: 'e0' }, { durable: true, id: 'e0' });
    expect(again.duplicate).toBe(true);
    await until(() => handled.length >= 200, '200 events');
    await new Promise((r) => setTimeout(r, 200));
    expect(handled).toHaveLength(200);
    expect(new Set(handled.map((h) => h.id)).size).toBe(200);
    expect(new Set(handled.map((h) => h.instance))).toEqual(new Set(['a', 'b']));
    const jsm = await nc.jetstreamManager();
    const info = await jsm.consumers.info('NATSMESH_dur', 'audit-save');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('redelivers a failing event with backoff and then succeeds', async () => {
    failUntil = 2;
    await client.emit('dur.flaky', { id: 'f1' }, { durable: true });
    await until(() => handled.length === 3, 'three deliveries');
    expect(handled.map((h) => h.deliveries)).toEqual([1, 2, 3]);
  });

  it('sends an event that keeps failing to the dead-letter subject with its headers and the last error, then terminates it', async () => {
    failUntil = 99;
    const dead = nc.subscribe('$NATSMESH.DLQ.NATSMESH_dur.flaky', { max: 1 });
    await nc.flush();
    await client.emit('dur.flaky', { id: 'f2' }, { durable: true, id: 'dead-1', headers: { 'X-Trace': 't-1' } });
    let letter: import('nats').Msg | undefined;
    for await (const m of dead) letter = m;
    expect(handled.map((h) => h.deliveries)).toEqual([1, 2, 3]);
    const h = letter!.headers!;
    expect(h.get('X-Trace')).toBe('t-1');
    expect(h.get('Nats-Msg-Id')).toBe('dead-1');
    expect(h.get(DEAD_LETTER_HEADERS.error)).toBe('flaky failure 3');
    expect(h.get(DEAD_LETTER_HEADERS.subject)).toBe('dur.flaky');
    expect(h.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    expect(JSON.parse(new TextDecoder().decode(letter!.data))).toEqual({ id: 'f2' });
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).toHaveLength(3);
  });

  it('dead-letters an undecodable event at once', async () => {
    const dead = nc.subscribe('$NATSMESH.DLQ.NATSMESH_dur.flaky', { max: 1 });
    await nc.flush();
    const js = nc.jetstream();
    await js.publish('dur.flaky', new TextEncoder().encode('{not json'));
    let letter: import('nats').Msg | undefined;
    for await (const m of dead) letter = m;
    expect(letter!.headers!.get(DEAD_LETTER_HEADERS.code)).toBe('BAD_REQUEST');
    expect(letter!.headers!.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    expect(handled).toHaveLength(0);
  });

  it('stop() lets durable handlers in flight finish and ack', async () => {
    const c = await createApp({ services: [AuditService], nats: { servers: server.url }, instance: 'c', logger: quietLogger(logs), discovery: false });
    await a.stop();
    await b.stop();
    await c.start();
    slowMs = 300;
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.emit('dur.booking.save', { id: `s${i}` }, { durable: true })));
    await until(() => started > 0, 'a first handler');
    expect(handled).toHaveLength(0);
    await c.stop();
    // Every handler that had started finished before stop() resolved.
    expect(handled.length).toBe(started);
    // A restarted instance gets only the rest, at once rather than after the 30 s ack wait.
    slowMs = 0;
    a = await createApp({ services: [AuditService], nats: { servers: server.url }, instance: 'a2', logger: quietLogger(logs), discovery: false });
    await a.start();
    await until(() => handled.length >= 20, 'the rest');
    await a.stop();
    expect(new Set(handled.map((h) => h.id)).size).toBe(20);
    expect(handled).toHaveLength(20);
    // Every handled event is acked, by c before its stop() resolved and by a2: nothing waits for a redelivery.
    const info = await (await nc.jetstreamManager()).consumers.info('NATSMESH_dur', 'audit-save');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    b = a;
  });
});

describe('streams and consumers that exist already', () => {
  const fx = useJetStreamServer();
  let nc: NatsConnection;
  beforeAll(() => (nc = fx.nc));
  const boot = fx.boot;

  it('updates a consumer whose limits changed, and refuses a stream or consumer that does not fit', async () => {
    @Service('fit.one')
    class One {
      @On('fit.a', { durable: 'fit' })
      on() {}
    }
    @Service('fit.two')
    class Two {
      @On('fit.a', { durable: 'fit', maxDeliver: 9, ackWait: 5000 })
      on() {}
    }
    @Service('fit.three')
    class Three {
      @On('fit.b', { durable: 'fit' })
      on() {}
    }
    @Service('fit.four')
    class Four {
      @On('other.x', { durable: 'o', stream: 'NATSMESH_fit' })
      on() {}
    }
    const one = await boot([One]);
    await one.start();
    await one.stop();
    const two = await boot([Two]);
    await two.start();
    await two.stop();
    const jsm = await nc.jetstreamManager();
    expect((await jsm.consumers.info('NATSMESH_fit', 'fit')).config).toMatchObject({ max_deliver: 9, ack_wait: 5_000_000_000 });

    const three = await boot([Three]);
    expect(await catchMeshError(three.start())).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('filters "fit.a"') });
    const four = await boot([Four]);
    expect(await catchMeshError(four.start())).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('do not cover "other.x"') });
    @Service('fit.five')
    class Five {
      @On('x.y', { durable: 'x', stream: 'MISSING' })
      on() {}
    }
    expect(await catchMeshError((await boot([Five])).start())).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('Stream MISSING does not exist') });
  });

  it('creates a configured stream with its limits', async () => {
    @Service('cfg.one')
    class Cfg {
      @On('cfg.*.made', { durable: 'cfg' })
      on() {}
    }
    const app = await boot([Cfg], { streams: [{ name: 'CFG', subjects: ['cfg.>'], retention: 'interest', storage: 'memory', maxAge: 60_000, maxMsgs: 100 }] });
    await app.start();
    const info = await (await nc.jetstreamManager()).streams.info('CFG');
    expect(info.config).toMatchObject({ subjects: ['cfg.>'], retention: 'interest', storage: 'memory', max_age: 60_000_000_000, max_msgs: 100 });
    await expect(app.client.emit('cfg.x.made', {}, { durable: true })).resolves.toMatchObject({ stream: 'CFG', seq: 1 });
    await app.stop();
  });
});

describe('durable events without JetStream', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(() => server?.stop());

  it('app.start() fails with JETSTREAM_UNAVAILABLE, and a durable emit rejects with it', async () => {
    const app = await createApp({ services: [AuditService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    const err = await catchMeshError(app.start());
    expect(err.code).toBe('JETSTREAM_UNAVAILABLE');
    expect(err.message).toMatch(/-js/);
    const client = await createClient({ nats: { servers: server.url } });
    expect((await catchMeshError(client.emit('dur.x', {}, { durable: true }))).code).toBe('JETSTREAM_UNAVAILABLE');
    await client.close();
  });

  it('answers a request over the app maxPayload with PAYLOAD_TOO_LARGE before decoding it', async () => {
    const app = await createApp({ services: [SizeService], nats: { servers: server.url }, logger: quietLogger(), discovery: false, maxPayload: 1024 });
    await app.start();
    await expect(app.client.request('durable.size.echo', { s: 'x'.repeat(100) })).resolves.toEqual({ s: 'x'.repeat(100) });
    const err = await catchMeshError(app.client.request('durable.size.echo', { s: 'x'.repeat(2000) }));
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    await app.stop();
  });
});
