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
