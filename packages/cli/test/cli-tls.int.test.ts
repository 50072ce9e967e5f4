import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, Handle, Service, type App } from '@natsmesh/core';
import { natsmesh } from './run-natsmesh';

@Service('secure.echo')
class EchoService {
  @Handle('say')
  say(input: { text: string }) {
    return { said: input.text };
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'natsmesh-cli-tls-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('natsmesh against an mTLS server (--tls-ca, --tls-cert, --tls-key)', () => {
  let server: NatsServerHandle;
  let app: App;

  beforeAll(async () => {
    server = await startNatsServer({ tls: { verify: true } });
    app = await createApp({ services: [EchoService], nats: { servers: server.url, tls: server.tls }, discovery: false, logger: false });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('with the CA and a client certificate, call works', async () => {
    const { caFile, certFile, keyFile } = server.tls!;
    const { code, out, err } = await natsmesh('call', 'secure.echo.say', '{"text":"hi"}', '--server', server.url, '--tls-ca', caFile, '--tls-cert', certFile, '--tls-key', keyFile, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ said: 'hi' });
  });

  it('without a client certificate, the server refuses it: UNAUTHORIZED naming --tls-cert, exit 1', async () => {
    const { code, err } = await natsmesh('call', 'secure.echo.say', '{"text":"hi"}', '--server', server.url, '--tls-ca', server.tls!.caFile);
    expect(code).toBe(1);
    expect(err).toMatch(/^UNAUTHORIZED: /);
    expect(err).toContain('--tls-cert');
  });

  it('without the CA, the server certificate is not trusted: UNAUTHORIZED naming --tls-ca', async () => {
    const { certFile, keyFile } = server.tls!;
    const { code, err } = await natsmesh('ls', '--server', server.url, '--tls-cert', certFile, '--tls-key', keyFile);
    expect(code).toBe(1);
    expect(err).toMatch(/^UNAUTHORIZED: /);
    expect(err).toContain('--tls-ca');
  });

  it('a --tls-ca file that is not there, or --tls-cert without --tls-key, is a usage mistake naming the option', async () => {
    const missing = await natsmesh('ls', '--server', server.url, '--tls-ca', join(tmp, 'nope.pem'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--tls-ca.*nope\.pem/);
    const half = await natsmesh('ls', '--server', server.url, '--tls-ca', server.tls!.caFile, '--tls-cert', server.tls!.certFile);
    expect(half.code).toBe(2);
    expect(half.err).toContain('--tls-key');
  });
});

describe('natsmesh --nkey <seed file>', () => {
  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  const stranger = new TextDecoder().decode(nkeys.createUser().getSeed());
  let server: NatsServerHandle;

  beforeAll(async () => {
    server = await startNatsServer({ config: { authorization: { users: [{ nkey: user.getPublicKey() }] } } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('authenticates with the seed in the file', async () => {
    const seedFile = join(tmp, 'user.nk');
    writeFileSync(seedFile, seed, { mode: 0o600 });
    const { code, out, err } = await natsmesh('ls', '--server', server.url, '--nkey', seedFile, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out + err).not.toContain(seed);
  });

  it('a seed the server does not know: UNAUTHORIZED, and the seed is never printed', async () => {
    const seedFile = join(tmp, 'stranger.nk');
    writeFileSync(seedFile, stranger, { mode: 0o600 });
    const { code, out, err } = await natsmesh('ls', '--server', server.url, '--nkey', seedFile);
    expect(code).toBe(1);
    expect(err).toMatch(/^UNAUTHORIZED: /);
    expect(out + err).not.toContain(stranger);
  });

  it('a file that holds no seed is a usage mistake naming --nkey, without the file contents', async () => {
    const seedFile = join(tmp, 'not-a-seed.nk');
    writeFileSync(seedFile, 'SUAsecret-but-not-a-seed', { mode: 0o600 });
    const { code, out, err } = await natsmesh('ls', '--server', server.url, '--nkey', seedFile);
    expect(code).toBe(2);
    expect(err).toMatch(/--nkey.*not-a-seed\.nk/);
    expect(out + err).not.toContain('SUAsecret-but-not-a-seed');
  });
});
