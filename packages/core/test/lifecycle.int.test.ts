import 'reflect-metadata';
import { connect } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, Service, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

@Service('work.slow')
class SlowService {
  @Handle('run')
  async run(input: { ms: number; n: number }) {
    await new Promise((r) => setTimeout(r, input.ms));
    return { n: input.n };
  }

  @Handle('ping')
  ping() {
    return 'pong';
  }
}

@Service('work.job')
class JobService {
  @Handle('status')
  status() {
    return 'idle';
  }
}

describe('app lifecycle', () => {
  let server: NatsServerHandle;
  let caller: MeshClient;

  beforeAll(async () => {
    server = await startNatsServer();
    caller = await createClient({ nats: { servers: server.url } });
  });

  afterAll(async () => {
    await caller?.close();
    await server?.stop();
  });

  it('stop() lets handlers in flight finish and deliver their replies, then callers get NO_RESPONDERS', async () => {
    const app = await createApp({ services: [SlowService], nats: { servers: server.url }, logger: quietLogger() });
    await app.start();
    const inFlight = Array.from({ length: 20 }, (_, n) => caller.request('work.slow.run', { ms: 200, n }));
    // Let the requests reach the handlers before stopping.
    await new Promise((r) => setTimeout(r, 50));
    await app.stop();
    await expect(Promise.all(inFlight)).resolves.toEqual(Array.from({ length: 20 }, (_, n) => ({ n })));
    await expect(caller.request('work.slow.ping')).rejects.toMatchObject({ code: 'NO_RESPONDERS' });
  });

  it("stop() lets the app's own calls in flight (app.client) get their replies", async () => {
    const other = await createApp({ services: [SlowService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    const app = await createApp({ services: [JobService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    await other.start();
    await app.start();
    try {
      // A background job of the app calling another service while the app is told to stop.
      const call = app.client.request('work.slow.run', { ms: 300, n: 7 });
      await new Promise((r) => setTimeout(r, 50));
      await app.stop();
      await expect(call).resolves.toEqual({ n: 7 });
      // Once stopped, the client takes no new calls.
      await expect(app.client.request('work.slow.ping')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await app.stop();
      await other.stop();
    }
  });

  it('leaves a connection it was given open after stop()', async () => {
    const nc = await connect({ servers: server.url });
    const app = await createApp({ services: [SlowService], nats: nc, logger: quietLogger() });
    await app.start();
    await expect(caller.request('work.slow.ping')).resolves.toBe('pong');
    await app.stop();
    expect(nc.isClosed()).toBe(false);
    await nc.close();
  });

  it('fails start() with UNAVAILABLE and a hint when no server answers', async () => {
    const app = await createApp({ services: [SlowService], nats: { servers: 'nats://127.0.0.1:1', reconnect: false }, logger: quietLogger() });
    await expect(app.start()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/NATS_URL/) });
  });

  it('rejects requests from a client that is not started with NOT_STARTED', async () => {
    const app = await createApp({ services: [SlowService], logger: quietLogger() });
    await expect(app.client.request('work.slow.ping')).rejects.toMatchObject({ code: 'NOT_STARTED' });
  });

  it('keeps serving after the nats-server restarts', async () => {
    const own = await startNatsServer();
    const logs: Record<string, unknown>[] = [];
    const app = await createApp({ services: [SlowService], nats: { servers: own.url, reconnectTimeWait: 100 }, logger: quietLogger(logs) });
    await app.start();
    const client = await createClient({ nats: { servers: own.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 } });
    try {
      await expect(client.request('work.slow.ping')).resolves.toBe('pong');
      await own.restart();
      let reply: unknown;
      for (let i = 0; i < 50 && reply === undefined; i++) {
        reply = await client.request('work.slow.ping', undefined, { timeout: 200 }).catch(() => undefined);
      }
      expect(reply).toBe('pong');
      expect(logs.some((l) => l.msg === 'NATS connection lost; reconnecting')).toBe(true);
    } finally {
      await client.close();
      await app.stop();
      await own.stop();
    }
  });
});
