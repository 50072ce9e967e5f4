import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { connect, StringCodec, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';

const sc = StringCodec();

async function roundTrip(nc: NatsConnection): Promise<string> {
  nc.subscribe('echo', { callback: (_err, msg) => msg.respond(msg.data) });
  await nc.flush();
  return sc.decode((await nc.request('echo', sc.encode('ping'), { timeout: 2000 })).data);
}

describe('startNatsServer({ tls })', () => {
  let server: NatsServerHandle | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('without tls, the handle has no tls files', async () => {
    server = await startNatsServer();
    expect(server.tls).toBeUndefined();
  });

  it('with tls: true, a client that trusts the throwaway CA connects over TLS (127.0.0.1 and localhost)', async () => {
    server = await startNatsServer({ tls: true });
    const { tls } = server;
    if (!tls) throw new Error('no tls files');
    const nc = await connect({ servers: server.url, tls: { caFile: tls.caFile }, reconnect: false });
    try {
      expect(nc.info?.tls_required).toBe(true);
      await expect(roundTrip(nc)).resolves.toBe('ping');
    } finally {
      await nc.close();
    }
    const byName = await connect({ servers: `nats://localhost:${server.port}`, tls: { caFile: tls.caFile }, reconnect: false });
    await byName.close();
  });

  it('with tls: true, a client that does not trust the CA is refused', async () => {
    server = await startNatsServer({ tls: true });
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow(/certificate/i);
  });

  it('the certificates chain to the CA, the server one names 127.0.0.1 and localhost', async () => {
    server = await startNatsServer({ tls: { verify: true } });
    const { tls } = server;
    if (!tls) throw new Error('no tls files');
    const ca = new X509Certificate(readFileSync(tls.caFile));
    const client = new X509Certificate(readFileSync(tls.certFile));
    expect(ca.ca).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.checkIssued(ca)).toBe(true);
    expect(readFileSync(tls.keyFile, 'utf8')).toMatch(/PRIVATE KEY/);
  });

  it('with verify: true (mTLS), a client without a certificate is refused and one with the client certificate works', async () => {
    server = await startNatsServer({ tls: { verify: true } });
    const { tls } = server;
    if (!tls) throw new Error('no tls files');
    // The server sends its alert and closes; the client sees the alert or, when the close wins, a reset.
    await expect(connect({ servers: server.url, tls: { caFile: tls.caFile }, reconnect: false })).rejects.toThrow(/certificate|ECONNRESET/i);
    const nc = await connect({ servers: server.url, tls, reconnect: false });
    try {
      await expect(roundTrip(nc)).resolves.toBe('ping');
    } finally {
      await nc.close();
    }
  });

  it('keeps the certificates across restart() and removes them on stop()', async () => {
    server = await startNatsServer({ tls: { verify: true } });
    const { tls } = server;
    if (!tls) throw new Error('no tls files');
    await server.restart();
    const nc = await connect({ servers: server.url, tls, reconnect: false });
    await nc.close();
    await server.stop();
    expect(existsSync(tls.caFile)).toBe(false);
    expect(existsSync(tls.keyFile)).toBe(false);
  });
});
