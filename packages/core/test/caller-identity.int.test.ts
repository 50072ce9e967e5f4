import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers, type MsgHdrs, type NatsConnection } from 'nats';
import { createUser, type KeyPair } from 'nkeys.js';
import { startNatsServer, catchMeshError, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, MeshError, Service, type App, type Context, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

@Service('id.payments')
class PaymentsService {
  @Handle('charge')
  charge(input: { amount: number }, ctx: Context) {
    return { amount: input.amount, caller: ctx.caller ?? null };
  }
}

let flaky = 0;

@Service('id.ledger')
class LedgerService {
  /** Fails its first call with UNAVAILABLE (a code the client retries), then answers. */
  @Handle('post')
  post(_input: unknown, ctx: Context) {
    if (flaky++ === 0) throw new MeshError('UNAVAILABLE', 'try again');
    return { caller: ctx.caller ?? null, attempt: flaky };
  }
}

@Service('id.booking')
class BookingService {
  @Handle('save')
  async save(input: { amount: number }, ctx: Context) {
    return ctx.request('id.payments.charge', input);
  }
}

@Service('id.open')
class OpenService {
  @Handle('peek')
  peek(_input: unknown, ctx: Context) {
    return { caller: ctx.caller ?? null, headers: ctx.headers === undefined ? [] : [...ctx.headers.keys()] };
  }
}

const text = (s: string) => new TextEncoder().encode(s);
const seedOf = (kp: KeyPair) => new TextDecoder().decode(kp.getSeed());

/**
 * The wire format, written out here with nkeys.js's own signer: a plain nats.js client can make
 * what natsmesh verifies, and a change of the format fails this test.
 */
function signedHeaders(kp: KeyPair, caller: string, subject: string, body: Uint8Array, at = Date.now(), nonce = `n${Math.random().toString(36).slice(2)}`): MsgHdrs {
  const hash = createHash('sha256').update(body).digest('base64url');
  const signed = text(`natsmesh-identity-v1\n${caller}\n${subject}\n${at}\n${nonce}\n${hash}`);
  const h = headers();
  h.set('Mesh-Caller', caller);
  h.set('Mesh-Signature', `v1 ${at} ${nonce} ${Buffer.from(kp.sign(signed)).toString('base64url')}`);
  return h;
}

/** The natsmesh error a plain nats.js request got back: its code and status. */
async function rawCall(nc: NatsConnection, subject: string, body: Uint8Array, h: MsgHdrs) {
  const reply = await nc.request(subject, body, { headers: h, timeout: 3000 });
  const data = JSON.parse(new TextDecoder().decode(reply.data)) as Record<string, unknown>;
  return { status: reply.headers?.get('Nats-Service-Error-Code') ?? '', data };
}

describe('signed caller identity', () => {
  const booking = createUser();
  const web = createUser();
  const intruder = createUser();
  let dir: string;
  let server: NatsServerHandle;
  let payments: App;
  let bookingApp: App;
  let open: App;
  let signedWeb: MeshClient;
  let plain: MeshClient;
  let nc: NatsConnection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'natsmesh-identity-'));
    writeFileSync(join(dir, 'web.nk'), seedOf(web), { mode: 0o600 });
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ 'id.booking': booking.getPublicKey(), web: web.getPublicKey() }));
    server = await startNatsServer();
    const nats = { servers: server.url };
    payments = await createApp({ services: [PaymentsService, LedgerService], nats, logger: quietLogger(), identity: { trust: join(dir, 'keys.json') } });
    bookingApp = await createApp({ services: [BookingService], nats, logger: quietLogger(), identity: { seed: seedOf(booking) } });
    open = await createApp({ services: [OpenService], nats, logger: quietLogger() });
    await Promise.all([payments.start(), bookingApp.start(), open.start()]);
    signedWeb = await createClient({ nats, timeout: 3000, identity: { name: 'web', seedFile: join(dir, 'web.nk') } });
    plain = await createClient({ nats, timeout: 3000 });
    nc = await connect(nats);
  });

  afterAll(async () => {
    await nc?.close();
    await signedWeb?.close();
    await plain?.close();
    await Promise.all([payments?.stop(), bookingApp?.stop(), open?.stop()]);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the handler ctx.caller: the service whose app signed (ctx.request), or the client role', async () => {
    await expect(plain.request('id.booking.save', { amount: 5 })).resolves.toEqual({ amount: 5, caller: 'id.booking' });
    await expect(signedWeb.request('id.payments.charge', { amount: 7 })).resolves.toEqual({ amount: 7, caller: 'web' });
  });

  it('signs each attempt afresh (a retry is no replay) and signs the subject as published (an instance-addressed call)', async () => {
    await expect(signedWeb.request('id.ledger.post', {}, { retry: { attempts: 2, initialDelay: 1 } })).resolves.toEqual({ caller: 'web', attempt: 2 });
    await expect(signedWeb.request('id.payments.charge', { amount: 3 }, { strategy: 'round-robin' })).resolves.toEqual({ amount: 3, caller: 'web' });
  });

  it('accepts a signature made with nkeys.js by a plain nats.js client, once: the same headers and body again are a replay', async () => {
    const body = text(JSON.stringify({ amount: 9 }));
    const h = signedHeaders(web, 'web', 'id.payments.charge', body);
    await expect(rawCall(nc, 'id.payments.charge', body, h)).resolves.toEqual({ status: '', data: { amount: 9, caller: 'web' } });
    const again = await rawCall(nc, 'id.payments.charge', body, h);
    expect(again.status).toBe('401');
    expect(again.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('repeats a signed request') });
  });

  it('refuses a tampered body', async () => {
    const h = signedHeaders(web, 'web', 'id.payments.charge', text(JSON.stringify({ amount: 1 })));
    const res = await rawCall(nc, 'id.payments.charge', text(JSON.stringify({ amount: 1000 })), h);
    expect(res.status).toBe('401');
    expect(res.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('does not match') });
  });

  it('refuses a signature by another key than the one trusted for that name, and a name it does not trust', async () => {
    const body = text('{}');
    const forged = await rawCall(nc, 'id.payments.charge', body, signedHeaders(intruder, 'web', 'id.payments.charge', body));
    expect(forged.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('does not match') });
    const stranger = await rawCall(nc, 'id.payments.charge', body, signedHeaders(intruder, 'intruder', 'id.payments.charge', body));
    expect(stranger.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('"intruder" has no trusted key') });
  });

  it('refuses a signature made for another subject', async () => {
    const body = text('{}');
    const res = await rawCall(nc, 'id.payments.charge', body, signedHeaders(web, 'web', 'id.payments.refund', body));
    expect(res.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('does not match') });
  });

  it('refuses a stale signature (outside the 30 s skew)', async () => {
    const body = text('{}');
    const res = await rawCall(nc, 'id.payments.charge', body, signedHeaders(web, 'web', 'id.payments.charge', body, Date.now() - 60_000));
    expect(res.status).toBe('401');
    expect(res.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('more than the 30000 ms allowed') });
  });

  it('refuses an unsigned call to an endpoint that verifies', async () => {
    const err = await catchMeshError(plain.request('id.payments.charge', { amount: 1 }));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.status).toBe(401);
    expect(err.message).toContain('it is not signed');
  });

  it('off: a plain client sends no identity header and the handler sees no caller', async () => {
    await expect(plain.request('id.open.peek', {}, { headers: { 'X-Trace': '1' } })).resolves.toEqual({ caller: null, headers: ['X-Trace'] });
    // A signed call to an app that does not verify: the claim is not repeated as ctx.caller.
    await expect(signedWeb.request('id.open.peek', {})).resolves.toEqual({ caller: null, headers: ['Mesh-Caller', 'Mesh-Signature'] });
  });
});

describe('signed caller identity behind the weighted mappings of natsmesh route export (found by review)', () => {
  it('accepts a request nats-server mapped to the version-addressed subject: the caller signed the subject it published to', async () => {
    const web = createUser();
    const server = await startNatsServer({
      config: 'mappings { "id.payments.charge": [ { destination: "$NATSMESH.V.0_0_0.id.payments.charge", weight: 100% } ] }',
    });
    const app = await createApp({ services: [PaymentsService], nats: { servers: server.url }, logger: quietLogger(), identity: { trust: { web: web.getPublicKey() } } });
    await app.start();
    const client = await createClient({ nats: { servers: server.url }, timeout: 3000, identity: { name: 'web', seed: seedOf(web) } });
    try {
      await expect(client.request('id.payments.charge', { amount: 5 })).resolves.toEqual({ amount: 5, caller: 'web' });
    } finally {
      await client.close();
      await app.stop();
      await server.stop();
    }
  });
});
