import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, Handle, Service, TIMEOUT_HEADER, type App, type Context } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

const aborts: number[] = [];

@Service('ctx.front')
class FrontService {
  @Handle('forward')
  forward(_input: unknown, ctx: Context) {
    return ctx.request('ctx.back.inspect', {});
  }

  @Handle('waitForAbort', { timeout: 100 })
  async waitForAbort(_input: unknown, ctx: Context) {
    const started = Date.now();
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    return { aborted: ctx.signal.aborted, waitedAtLeast: Date.now() - started >= 90 };
  }

  @Handle('abortable')
  async abortable(_input: unknown, ctx: Context) {
    const started = Date.now();
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    aborts.push(Date.now() - started);
    // Reply well after the caller gave up, so the caller's own timeout is what it sees.
    await new Promise((r) => setTimeout(r, 300));
  }

  @Handle('emit')
  emit(input: { to: string }, ctx: Context) {
    ctx.emit(input.to, { from: ctx.endpoint });
    return true;
  }
}

@Service('ctx.back')
class BackService {
  @Handle('inspect')
  inspect(_input: unknown, ctx: Context) {
    return { timeout: Number(ctx.headers?.get(TIMEOUT_HEADER)), trace: ctx.headers?.get('trace-id') };
  }
}

describe('Context', () => {
  let server: NatsServerHandle;
  let app: App;

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: [FrontService, BackService], nats: { servers: server.url }, logger: quietLogger() });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('ctx.request passes on the remaining deadline and the incoming headers', async () => {
    const reply = await app.client.request<{ timeout: number; trace: string }>('ctx.front.forward', {}, { timeout: 3000, headers: { 'trace-id': 'abc' } });
    expect(reply.trace).toBe('abc');
    expect(reply.timeout).toBeGreaterThan(2000);
    expect(reply.timeout).toBeLessThanOrEqual(3000);
  });

  it('ctx.request without a caller deadline uses the endpoint default', async () => {
    const reply = await app.client.request<{ timeout: number }>('ctx.front.forward', {});
    expect(reply.timeout).toBeGreaterThan(4000);
    expect(reply.timeout).toBeLessThanOrEqual(5000);
  });

  it('ctx.signal aborts at the endpoint deadline when the caller sent none', async () => {
    await expect(app.client.request('ctx.front.waitForAbort', {})).resolves.toEqual({ aborted: true, waitedAtLeast: true });
  });

  it('ctx.signal aborts at the deadline the caller sent', async () => {
    await expect(app.client.request('ctx.front.abortable', {}, { timeout: 150 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    for (let i = 0; i < 100 && aborts.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).toBeGreaterThanOrEqual(140);
    expect(aborts[0]).toBeLessThan(1000);
  });

  it('ctx.emit publishes an event', async () => {
    const sub = app.client.connection.subscribe('ctx.events.x', { max: 1 });
    await app.client.connection.flush();
    await app.client.request('ctx.front.emit', { to: 'ctx.events.x' });
    for await (const m of sub) expect(JSON.parse(new TextDecoder().decode(m.data))).toEqual({ from: 'emit' });
  });
});
