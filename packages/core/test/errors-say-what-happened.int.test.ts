import 'reflect-metadata';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, MeshError, Service } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

@Service('closed.svc')
class ClosedService {
  @Handle('ping')
  ping() {
    return 'pong';
  }
}

function thrownBy(fn: () => unknown): MeshError {
  try {
    fn();
  } catch (err) {
    if (MeshError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a MeshError to be thrown');
}

describe('after stop or close', () => {
  let server: NatsServerHandle;

  beforeAll(async () => {
    server = await startNatsServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('app.client calls after app.stop() reject with UNAVAILABLE "closed"', async () => {
    const app = await createApp({ services: [ClosedService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    await app.start();
    await app.stop();
    const err = await catchMeshError(app.client.request('closed.svc.ping', {}));
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toMatch(/closed/);
    expect(err.message).not.toMatch(/app\.start\(\)/);
    expect((await catchMeshError(app.client.request('closed.svc.ping', {}, { fallback: undefined, retry: false }))).code).toBe('UNAVAILABLE');
    expect((await catchMeshError(app.client.waitFor('closed.svc'))).code).toBe('UNAVAILABLE');
    expect((await catchMeshError(app.client.flush())).code).toBe('UNAVAILABLE');
    expect(thrownBy(() => app.client.emit('closed.evt', {})).code).toBe('UNAVAILABLE');
    expect((await catchMeshError(app.client.emit('closed.evt', {}, { durable: true }))).code).toBe('UNAVAILABLE');
    expect(thrownBy(() => app.client.connection).code).toBe('UNAVAILABLE');
  });

  it('client calls after client.close() reject with UNAVAILABLE "closed"', async () => {
    const client = await createClient({ nats: { servers: server.url } });
    await client.close();
    const err = await catchMeshError(client.request('closed.svc.ping', {}));
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toMatch(/closed/);
    expect((await catchMeshError(client.service<{ ping(): string }>('closed.svc').ping())).code).toBe('UNAVAILABLE');
  });

  it('app.start() after app.stop() says an app cannot restart', async () => {
    const app = await createApp({ services: [ClosedService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    await app.start();
    await app.stop();
    const err = await catchMeshError(app.start());
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toMatch(/stopped/);
  });
});

describe('connection errors', () => {
  let server: NatsServerHandle;

  beforeAll(async () => {
    server = await startNatsServer({ config: { authorization: { user: 'ann', password: 'right-one' } } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('an authorization failure says so, without the password', async () => {
    const err = await catchMeshError(createClient({ nats: { servers: `nats://ann:wrong-secret@127.0.0.1:${server.port}` } }));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toMatch(/authori[sz]ation/i);
    expect(err.message).not.toMatch(/start a nats-server/i);
    expect(err.message).not.toContain('wrong-secret');
    expect(err.message).toContain(`127.0.0.1:${server.port}`);
  });

  it('an authorization failure of app.start() with user/pass options says so', async () => {
    const app = await createApp({
      services: [ClosedService],
      nats: { servers: `nats://127.0.0.1:${server.port}`, user: 'ann', pass: 'wrong-secret' },
      logger: quietLogger(),
      discovery: false,
    });
    const err = await catchMeshError(app.start());
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).not.toContain('wrong-secret');
  });

  it('the right credentials connect', async () => {
    const client = await createClient({ nats: { servers: `nats://ann:right-one@127.0.0.1:${server.port}` } });
    await client.close();
  });

  it('a server that is not there: the message names it without the password', async () => {
    const err = await catchMeshError(createClient({ nats: { servers: ['nats://ann:s3cret-pw@127.0.0.1:1', 'nats://tok3n-secret@127.0.0.1:2'], reconnect: false } }));
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toContain('127.0.0.1:1');
    expect(err.message).not.toContain('s3cret-pw');
    expect(err.message).not.toContain('tok3n-secret');
    expect(JSON.stringify(err.details ?? null)).not.toContain('s3cret-pw');
  });
});
