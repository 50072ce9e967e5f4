import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, MeshError, Service, type App, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

@Service('secure.echo')
class EchoService {
  @Handle('say')
  say(input: { text: string }) {
    return { said: input.text };
  }
}

/** Everything an error carries that a user could print: message, details and every cause's message. */
function said(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(String((e as Error).message ?? e), JSON.stringify((e as MeshError).details ?? null), String((e as Error).stack ?? ''));
  }
  return parts.join('\n');
}

const tmp = mkdtempSync(join(tmpdir(), 'natsmesh-transport-security-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

describe('TLS (server certificate only)', () => {
  let server: NatsServerHandle;
  let app: App | undefined;
  let client: MeshClient | undefined;

  beforeAll(async () => {
    server = await startNatsServer({ tls: true });
  });
  afterEach(async () => {
    await client?.close();
    await app?.stop();
    client = app = undefined;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an app and a client that trust the CA (nats.tls.caFile) serve and call over TLS', async () => {
    const caFile = server.tls!.caFile;
    app = await createApp({ services: [EchoService], nats: { servers: server.url, tls: { caFile } }, logger: quietLogger(), discovery: false });
    await app.start();
    client = await createClient({ nats: { servers: server.url, tls: { caFile } }, timeout: 3000 });
    await expect(client.request('secure.echo.say', { text: 'hi' })).resolves.toEqual({ said: 'hi' });
  });

  it('a client that does not trust the server certificate gets UNAUTHORIZED naming nats.tls.caFile', async () => {
    const err = await catchMeshError(createClient({ nats: { servers: server.url } }));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toContain(`127.0.0.1:${server.port}`);
    expect(err.message).toContain('tls.caFile');
    expect(err.message).not.toMatch(/start a nats-server/i);
  });
});

describe('mTLS (verify: true)', () => {
  let server: NatsServerHandle;
  let app: App | undefined;
  let client: MeshClient | undefined;

  beforeAll(async () => {
    server = await startNatsServer({ tls: { verify: true } });
  });
  afterEach(async () => {
    await client?.close();
    await app?.stop();
    client = app = undefined;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a client without a certificate is refused at once with UNAUTHORIZED naming tls.certFile (not a connect timeout)', async () => {
    const err = await catchMeshError(createClient({ nats: { servers: server.url, tls: { caFile: server.tls!.caFile } } }));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toContain(`127.0.0.1:${server.port}`);
    expect(err.message).toContain('tls.certFile');
  });

  it('an app without a certificate fails start() with UNAUTHORIZED and can be stopped', async () => {
    app = await createApp({ services: [EchoService], nats: { servers: server.url, tls: { caFile: server.tls!.caFile } }, logger: quietLogger(), discovery: false });
    const err = await catchMeshError(app.start());
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toContain('tls.certFile');
  });

  it('with the client certificate an app serves and a client calls', async () => {
    const tls = server.tls!;
    app = await createApp({ services: [EchoService], nats: { servers: server.url, tls }, logger: quietLogger(), discovery: false });
    await app.start();
    client = await createClient({ nats: { servers: server.url, tls }, timeout: 3000 });
    await expect(client.request('secure.echo.say', { text: 'mutual' })).resolves.toEqual({ said: 'mutual' });
  });

  it('an app and a client over mTLS keep working after the server restarts (they reconnect with their certificate)', async () => {
    const tls = server.tls!;
    app = await createApp({ services: [EchoService], nats: { servers: server.url, tls, reconnectTimeWait: 100, reconnectJitterTLS: 100 }, logger: quietLogger(), discovery: false });
    await app.start();
    client = await createClient({ nats: { servers: server.url, tls, reconnectTimeWait: 100, reconnectJitterTLS: 100 }, timeout: 3000 });
    await expect(client.request('secure.echo.say', { text: 'before' })).resolves.toEqual({ said: 'before' });
    await server.restart();
    // Over TLS nats.js waits up to reconnectJitterTLS more before each attempt, and a call fails fast while disconnected.
    let reply: unknown;
    for (const deadline = Date.now() + 10_000; reply === undefined && Date.now() < deadline; ) {
      reply = await client.request('secure.echo.say', { text: 'after' }, { timeout: 200 }).catch(() => undefined);
      if (reply === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(reply).toEqual({ said: 'after' });
  });

  it('a keyFile that is not the key of certFile fails createClient with INVALID_OPTIONS before connecting', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyFile = file('foreign-key.pem', key);
    const err = await catchMeshError(createClient({ nats: { servers: 'nats://127.0.0.1:1', tls: { ...server.tls!, keyFile } } }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toMatch(/tls\.keyFile.*foreign-key\.pem/);
    expect(said(err)).not.toContain(key.split('\n')[1]);
  });
});

describe('a server that resets the connection during the TLS handshake', () => {
  // What a real mTLS server sometimes does instead of sending its alert (the client then sees ECONNRESET).
  async function resettingServer(info: Record<string, unknown>): Promise<{ url: string; close: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    const srv = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.write(`INFO ${JSON.stringify({ server_id: 'fake', version: '2.9.10', proto: 1, headers: true, max_payload: 1048576, ...info })}\r\n`);
      socket.once('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((done) => srv.listen(0, '127.0.0.1', done));
    const { port } = srv.address() as AddressInfo;
    return { url: `nats://127.0.0.1:${port}`, close: () => new Promise((done) => { for (const s of sockets) s.destroy(); srv.close(() => done()); }) };
  }

  it('is a refused client certificate (UNAUTHORIZED) when the server says it verifies clients', async () => {
    const fake = await resettingServer({ tls_required: true, tls_verify: true });
    try {
      const err = await catchMeshError(createClient({ nats: { servers: fake.url } }));
      expect(err.code).toBe('UNAUTHORIZED');
      expect(err.message).toContain('tls.certFile');
    } finally {
      await fake.close();
    }
  });

  it('stays UNAVAILABLE when the server does not verify clients', async () => {
    const fake = await resettingServer({ tls_required: true });
    try {
      const err = await catchMeshError(createClient({ nats: { servers: fake.url } }));
      expect(err.code).toBe('UNAVAILABLE');
    } finally {
      await fake.close();
    }
  });
});

describe('bad credential files fail createApp/createClient at once, naming the file and never its contents', () => {
  // Port 1: nothing listens, so a check that waited for the connection would say UNAVAILABLE instead.
  const servers = 'nats://127.0.0.1:1';
  const SECRET = 'SUAM7TOP5ECRETSEEDMATERIALXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';

  async function bothFail(nats: Record<string, unknown>, expected: RegExp | string): Promise<void> {
    const fromClient = await catchMeshError(createClient({ nats: { servers, ...nats } }));
    let fromApp: MeshError | undefined;
    try {
      await createApp({ services: [EchoService], nats: { servers, ...nats }, logger: quietLogger(), discovery: false });
    } catch (err) {
      fromApp = err as MeshError;
    }
    for (const err of [fromClient, fromApp]) {
      expect(err?.code).toBe('INVALID_OPTIONS');
      expect(err?.message).toMatch(expected);
      expect(said(err)).not.toContain(SECRET);
    }
  }

  it('a tls.caFile that does not exist', async () => {
    await bothFail({ tls: { caFile: join(tmp, 'missing-ca.pem') } }, /tls\.caFile.*missing-ca\.pem/);
  });

  it('a tls.caFile that holds no certificate', async () => {
    await bothFail({ tls: { caFile: file('not-a-ca.pem', SECRET) } }, /tls\.caFile.*not-a-ca\.pem/);
  });

  it('a tls.certFile without a keyFile, and a keyFile that is not a key', async () => {
    const certFile = file('cert.pem', readFileSync(join(__dirname, '../../../node_modules/nats/package.json'), 'utf8'));
    await bothFail({ tls: { certFile } }, /tls\.keyFile/);
    await bothFail({ tls: { certFile: join(tmp, 'nope.pem'), keyFile: file('bad-key.pem', `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`) } }, /nope\.pem/);
  });

  it('a credsFile that does not exist, or holds no JWT and seed', async () => {
    await bothFail({ credsFile: join(tmp, 'missing.creds') }, /credsFile.*missing\.creds/);
    await bothFail({ credsFile: file('garbage.creds', `-----BEGIN NATS USER JWT-----\n${SECRET}\n------END NATS USER JWT------\n`) }, /credsFile.*garbage\.creds/);
  });

  it('an nkeySeedFile that does not exist, or holds no user seed', async () => {
    await bothFail({ nkeySeedFile: join(tmp, 'missing.nk') }, /nkeySeedFile.*missing\.nk/);
    await bothFail({ nkeySeedFile: file('bad.nk', SECRET) }, /nkeySeedFile.*bad\.nk/);
  });
});

describe('authentication: nkey seed file, user/password and token, with secrets kept out of errors and logs', () => {
  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  const stranger = new TextDecoder().decode(nkeys.createUser().getSeed());
  let nkeyServer: NatsServerHandle;
  let tokenServer: NatsServerHandle;
  let passServer: NatsServerHandle;

  beforeAll(async () => {
    nkeyServer = await startNatsServer({ config: { authorization: { users: [{ nkey: user.getPublicKey() }] } } });
    tokenServer = await startNatsServer({ config: { authorization: { token: 'right-token-value' } } });
    passServer = await startNatsServer({ config: { authorization: { user: 'ann', password: 'right-password' } } });
  });
  afterAll(async () => {
    await nkeyServer?.stop();
    await tokenServer?.stop();
    await passServer?.stop();
  });

  it('nats.nkeySeedFile: the seed in the file authenticates an app and a client', async () => {
    const nkeySeedFile = file('user.nk', `${seed}\n`);
    const lines: Record<string, unknown>[] = [];
    const app = await createApp({ services: [EchoService], nats: { servers: nkeyServer.url, nkeySeedFile }, logger: quietLogger(lines), discovery: false });
    await app.start();
    const client = await createClient({ nats: { servers: nkeyServer.url, nkeySeedFile }, timeout: 3000 });
    try {
      await expect(client.request('secure.echo.say', { text: 'nk' })).resolves.toEqual({ said: 'nk' });
    } finally {
      await client.close();
      await app.stop();
    }
    expect(JSON.stringify(lines)).not.toContain(seed);
  });

  it('wrong credentials of every kind: UNAUTHORIZED, and no secret in the error or the log', async () => {
    const cases: { servers: string; nats: Record<string, unknown>; secrets: string[] }[] = [
      { servers: nkeyServer.url, nats: { nkeySeedFile: file('stranger.nk', stranger) }, secrets: [stranger] },
      { servers: nkeyServer.url, nats: { nkeySeed: stranger }, secrets: [stranger] },
      { servers: tokenServer.url, nats: { token: 'wrong-token-value' }, secrets: ['wrong-token-value'] },
      { servers: tokenServer.url.replace('nats://', 'nats://wrong-token-value@'), nats: {}, secrets: ['wrong-token-value'] },
      { servers: passServer.url, nats: { user: 'ann', pass: 'wrong-password' }, secrets: ['wrong-password'] },
    ];
    for (const c of cases) {
      const lines: Record<string, unknown>[] = [];
      const fromClient = await catchMeshError(createClient({ nats: { servers: c.servers, ...c.nats } }));
      const app = await createApp({ services: [EchoService], nats: { servers: c.servers, ...c.nats }, logger: quietLogger(lines), discovery: false });
      const fromApp = await catchMeshError(app.start());
      await app.stop();
      for (const err of [fromClient, fromApp]) {
        expect(err.code).toBe('UNAUTHORIZED');
        for (const secret of c.secrets) expect(said(err)).not.toContain(secret);
      }
      for (const secret of c.secrets) expect(JSON.stringify(lines)).not.toContain(secret);
    }
  });
});
