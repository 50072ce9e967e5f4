import 'reflect-metadata';
import { IsString } from 'class-validator';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, On, Service, type App, type Context } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

class Saved {
  @IsString() id!: string;
}

/** What every instance of the subscriber saw, keyed by instance id. */
const seen: { instance: string; handler: string; subject: string; payload: unknown }[] = [];

@Service('hotel.audit')
class AuditService {
  @On('app.*.error')
  onError(evt: unknown, ctx: Context) {
    seen.push({ instance: ctx.instanceId, handler: 'fanout', subject: ctx.subject, payload: evt });
  }

  @On('app.*.save', { queue: true })
  onSave(evt: Saved, ctx: Context) {
    seen.push({ instance: ctx.instanceId, handler: 'queued', subject: ctx.subject, payload: evt });
  }

  @On('app.boom')
  boom(evt: { fail: boolean }, ctx: Context) {
    if (evt.fail) throw new Error('handler exploded');
    seen.push({ instance: ctx.instanceId, handler: 'boom', subject: ctx.subject, payload: evt });
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

describe('events over a real nats-server', () => {
  let server: NatsServerHandle;
  let a: App;
  let b: App;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    a = await createApp({ services: [AuditService], nats: { servers: server.url }, instance: 'a', logger: quietLogger(logs) });
    b = await createApp({ services: [AuditService], nats: { servers: server.url }, instance: 'b', logger: quietLogger(logs) });
    await a.start();
    await b.start();
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await server?.stop();
  });

  beforeEach(() => {
    seen.length = 0;
    logs.length = 0;
  });

  it('fans an event out to every instance by default', async () => {
    a.client.emit('app.payments.error', { reason: 'declined' });
    await a.client.flush();
    await until(() => seen.filter((s) => s.handler === 'fanout').length === 2, 'both instances');
    expect(seen.map((s) => s.instance).sort()).toEqual(['a', 'b']);
    expect(seen[0]).toMatchObject({ subject: 'app.payments.error', payload: { reason: 'declined' } });
  });

  it('delivers a queue: true event to exactly one instance, spreading the load', async () => {
    for (let i = 0; i < 200; i++) a.client.emit('app.booking.save', { id: String(i) });
    await until(() => seen.filter((s) => s.handler === 'queued').length === 200, '200 queued events');
    await new Promise((r) => setTimeout(r, 50));
    const queued = seen.filter((s) => s.handler === 'queued');
    expect(queued.length).toBe(200);
    expect(new Set(queued.map((s) => (s.payload as Saved).id)).size).toBe(200);
    expect(queued.filter((s) => s.instance === 'a').length).toBeGreaterThan(0);
    expect(queued.filter((s) => s.instance === 'b').length).toBeGreaterThan(0);
  });

  it('logs a throwing event handler and keeps the subscription', async () => {
    a.client.emit('app.boom', { fail: true });
    a.client.emit('app.boom', { fail: false });
    await until(() => seen.filter((s) => s.handler === 'boom').length === 2, 'the event after the failure');
    const failures = logs.filter((l) => l.msg === 'event handler failed; the subscription goes on');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ handler: 'boom', subject: 'app.boom', err: { message: 'handler exploded' } });
  });

  it('logs an event whose payload fails DTO validation and keeps the subscription', async () => {
    a.client.emit('app.rooms.save', { id: 5 });
    a.client.emit('app.rooms.save', { id: 'ok' });
    await until(() => seen.some((s) => s.handler === 'queued'), 'the valid event');
    await until(() => logs.some((l) => (l.err as { code?: string } | undefined)?.code === 'VALIDATION_FAILED'), 'the validation log');
    expect(seen.filter((s) => s.handler === 'queued').map((s) => s.payload)).toEqual([{ id: 'ok' }]);
  });
});
