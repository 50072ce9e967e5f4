import { existsSync, readdirSync } from 'node:fs';
import { connect, ErrorCode, StringCodec, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { isAlive, waitFor } from './process-probes';

const sc = StringCodec();

async function echoRoundTrip(nc: NatsConnection, subject = 'echo'): Promise<string> {
  const reply = await nc.request(subject, sc.encode('ping'), { timeout: 2000 });
  return sc.decode(reply.data);
}

function serveEcho(nc: NatsConnection, subject = 'echo'): void {
  nc.subscribe(subject, { callback: (_err, msg) => msg.respond(sc.encode(`pong:${sc.decode(msg.data)}`)) });
}

describe('startNatsServer', () => {
  let server: NatsServerHandle | undefined;
  const open: NatsConnection[] = [];

  async function connectTo(url: string, opts: Parameters<typeof connect>[0] = {}): Promise<NatsConnection> {
    const nc = await connect({ servers: url, ...opts });
    open.push(nc);
    return nc;
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((nc) => nc.close()));
    await server?.stop();
    server = undefined;
  });

  it('serves a request/reply round trip on a free 127.0.0.1 port', async () => {
    server = await startNatsServer();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(server.port).not.toBe(4222);
    const responder = await connectTo(server.url);
    serveEcho(responder);
    await responder.flush();
    const caller = await connectTo(server.url);
    await expect(echoRoundTrip(caller)).resolves.toBe('pong:ping');
  });

  it('runs two servers side by side on different ports', async () => {
    server = await startNatsServer();
    const other = await startNatsServer();
    try {
      expect(other.port).not.toBe(server.port);
      const a = await connectTo(server.url);
      const b = await connect({ servers: other.url });
      expect(a.info?.server_id).not.toBe(b.info?.server_id);
      await b.close();
    } finally {
      await other.stop();
    }
  });

  it('with jetstream: true, JetStream answers and keeps its data in a temp store dir removed by stop()', async () => {
    server = await startNatsServer({ jetstream: true });
    const nc = await connectTo(server.url);
    const jsm = await nc.jetstreamManager();
    const info = await jsm.getAccountInfo();
    expect(info.streams).toBe(0);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    await nc.jetstream().publish('orders.1', sc.encode('one'));
    const storeDir = server.storeDir!;
    expect(readdirSync(`${storeDir}/jetstream`).length).toBeGreaterThan(0);
    await nc.close();
    await server.stop();
    expect(existsSync(storeDir)).toBe(false);
  });

  it('without jetstream, JetStream is off', async () => {
    server = await startNatsServer();
    expect(server.storeDir).toBeUndefined();
    const nc = await connectTo(server.url);
    await expect(nc.jetstreamManager()).rejects.toMatchObject({ code: ErrorCode.JetStreamNotEnabled });
  });

  it('restart() comes back on the same port with the same JetStream data, and clients reconnect', async () => {
    server = await startNatsServer({ jetstream: true });
    const { url, port, pid } = server;
    const nc = await connectTo(url, { maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'KEEP', subjects: ['keep.>'] });
    await nc.jetstream().publish('keep.me', sc.encode('kept'));

    const back = reconnected(nc);
    await server.restart();
    await back;

    expect(server.port).toBe(port);
    expect(server.url).toBe(url);
    expect(server.pid).not.toBe(pid);
    const msg = await (await nc.jetstreamManager()).streams.getMessage('KEEP', { last_by_subj: 'keep.me' });
    expect(sc.decode(msg.data)).toBe('kept');
  });

  it('kill() ends the server abruptly; restart() brings it back for the same clients', async () => {
    server = await startNatsServer();
    const nc = await connectTo(server.url, { maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    serveEcho(nc);
    const oldPid = server.pid;

    server.kill();
    await waitFor(() => !isAlive(oldPid), 'the old server exiting');
    await expect(connect({ servers: server.url, maxReconnectAttempts: 0, reconnect: false })).rejects.toThrow();

    const back = reconnected(nc);
    await server.restart();
    expect(isAlive(server.pid)).toBe(true);
    await back;
    await expect(echoRoundTrip(nc)).resolves.toBe('pong:ping');
  });

  it('stop() is idempotent, frees the port and forbids restart()', async () => {
    server = await startNatsServer();
    const { url, pid } = server;
    await Promise.all([server.stop(), server.stop()]);
    expect(isAlive(pid)).toBe(false);
    await expect(connect({ servers: url, reconnect: false })).rejects.toThrow();
    await expect(server.restart()).rejects.toMatchObject({ code: 'NATS_SERVER_STOPPED' });
  });

  it('applies a config object, while the helper keeps its own host and port', async () => {
    // port 4222 is taken on a developer machine; the helper's -p must win or the server would not start.
    server = await startNatsServer({ config: { port: 4222, listen: '0.0.0.0:4222', max_payload: 2048, authorization: { token: 's3cret' } } });
    expect(server.port).not.toBe(4222);
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
    const nc = await connectTo(server.url, { token: 's3cret' });
    expect(nc.info?.max_payload).toBe(2048);
  });

  it('applies config text and extra args', async () => {
    server = await startNatsServer({ config: 'max_payload: 4096\n', args: ['--user', 'ann', '--pass', 'pw'] });
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
    const nc = await connectTo(server.url, { user: 'ann', pass: 'pw' });
    expect(nc.info?.max_payload).toBe(4096);
  });

  it('rejects a config the server refuses with NATS_SERVER_START_FAILED quoting the server', async () => {
    await expect(startNatsServer({ config: { no_such_option: 1 } })).rejects.toMatchObject({
      code: 'NATS_SERVER_START_FAILED',
      message: expect.stringContaining('unknown field "no_such_option"'),
    });
  });
});

/** Resolves at the connection's next reconnect: a request sent while nats.js is still reconnecting can be lost. */
async function reconnected(nc: NatsConnection): Promise<void> {
  for await (const s of nc.status()) if (s.type === 'reconnect') return;
}
