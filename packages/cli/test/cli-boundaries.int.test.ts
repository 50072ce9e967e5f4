import { connect, headers, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { natsmesh } from './run-natsmesh';

describe('natsmesh CLI and credentials', () => {
  let server: NatsServerHandle;

  beforeAll(async () => {
    server = await startNatsServer({ config: { authorization: { user: 'ann', password: 'right-one' } } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('a wrong password in --server is reported as an authorization failure, without the password', async () => {
    const { code, out, err } = await natsmesh('ls', '--server', `nats://ann:wrong-secret@127.0.0.1:${server.port}`);
    expect(code).toBe(1);
    expect(err).toMatch(/^UNAUTHORIZED: /);
    expect(out + err).not.toContain('wrong-secret');
  });

  it('a wrong --password is reported as an authorization failure, without the password', async () => {
    const { code, out, err } = await natsmesh('ls', '--server', `nats://127.0.0.1:${server.port}`, '--user', 'ann', '--password', 'wrong-secret');
    expect(code).toBe(1);
    expect(err).toMatch(/authori[sz]ation/i);
    expect(out + err).not.toContain('wrong-secret');
  });

  it('an unreachable --server with credentials never prints the password', async () => {
    const { code, out, err } = await natsmesh('ls', '--server', 'nats://ann:s3cret-pw@127.0.0.1:1');
    expect(code).toBe(1);
    expect(err).toContain('127.0.0.1:1');
    expect(out + err).not.toContain('s3cret-pw');
  });
});

describe('natsmesh CLI options', () => {
  it('a --timeout no timer can hold is a usage mistake naming the range', async () => {
    const { code, err } = await natsmesh('ls', '--timeout', '2147483648', '--server', 'nats://127.0.0.1:1');
    expect(code).toBe(2);
    expect(err).toContain('2147483647');
  });
});

describe('natsmesh CLI and what remote services send', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('prints an error message holding terminal escape sequences as text, not as escapes', async () => {
    nc.subscribe('evil.call', {
      callback: (_err, msg) => {
        const h = headers();
        h.set('Nats-Service-Error', 'x');
        h.set('Nats-Service-Error-Code', '400');
        msg.respond(new TextEncoder().encode(JSON.stringify({ code: 'BAD_REQUEST', message: 'bad\u001b[2J\u001b[1;1Hall good', details: [{ field: 'a\u0007', messages: ['\u009b31m'] }] })), { headers: h });
      },
    });
    await nc.flush();
    const { code, out, err } = await natsmesh('call', 'evil.call', '{}', '--server', server.url);
    expect(code).toBe(1);
    expect(err).toContain('bad\\u001b[2J\\u001b[1;1Hall good');
    expect(out + err).not.toMatch(/[\u001b\u0007\u009b]/);
  });
});
