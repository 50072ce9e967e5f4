import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, credsAuthenticator, nkeyAuthenticator, nkeys } from 'nats';
import { createUser, encodeUser, fmtCreds, fromSeed } from '@nats-io/jwt';
import { createAdmin, createApp, createClient, scanService, type App, type Constructor, type MeshAdmin } from '@natsmesh/core';
import { nextRules, startNatsServer } from '@natsmesh/testing';
import { natsmesh } from './run-natsmesh';

const HOTEL = ['--scan', 'examples/hotel/dist/**/*.service.js'];
const WEB = ['--caller', 'web=hotel.booking.save,hotel.rooms.list'];

const hotel = require(join(process.cwd(), 'examples/hotel/dist/services')) as { HOTEL_SERVICES: Constructor[] };
const payments = require(join(process.cwd(), 'examples/hotel/dist/payments/payment-config')) as { PAYMENT_CONFIG: symbol; DEFAULT_PAYMENT_CONFIG: unknown };

describe('natsmesh acl', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'natsmesh-acl-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the authorization include and one 0600 nkey seed per user, and prints no seed', async () => {
    const r = await natsmesh('acl', ...HOTEL, ...WEB, '--out', dir);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(readdirSync(dir).sort()).toEqual([
      'authorization.conf',
      'hotel.booking.nk',
      'hotel.compliance.nk',
      'hotel.logging.nk',
      'hotel.payments.nk',
      'hotel.persistence.nk',
      'hotel.rooms.nk',
      'keys.json',
      'web.nk',
    ]);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.nk'))) {
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, f), 'utf8')).toMatch(/^SU[A-Z2-7]+$/);
      expect(r.out).not.toContain(readFileSync(join(dir, f), 'utf8').trim());
    }
    expect(r.out).toContain('_INBOX_hotel_booking');
    const conf = readFileSync(join(dir, 'authorization.conf'), 'utf8');
    expect(conf).not.toMatch(/(^|[^A-Z2-7])SU[A-Z2-7]{50,}/);
    expect(conf).toContain('"hotel.payments.charge hotel.payments"');
    // The public keys, for signed caller identity (identity.trust): each matches its seed, no seed in it.
    const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(keys)).toEqual(['hotel.booking', 'hotel.compliance', 'hotel.logging', 'hotel.payments', 'hotel.persistence', 'hotel.rooms', 'web']);
    expect(keys.web).toBe(nkeys.fromSeed(readFileSync(join(dir, 'web.nk'))).getPublicKey());
    expect(readFileSync(join(dir, 'keys.json'), 'utf8')).not.toMatch(/SU[A-Z2-7]{50,}/);
  });

  it('regenerates byte-identical output for unchanged services', async () => {
    await natsmesh('acl', ...HOTEL, ...WEB, '--out', dir);
    const first = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const again = await natsmesh('acl', ...HOTEL, ...WEB, '--out', dir);
    expect(again.code).toBe(0);
    expect(new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(first);
  });

  it('the generated file configures a real nats-server: the caller may request only what it was given', async () => {
    await natsmesh('acl', ...HOTEL, ...WEB, '--out', dir);
    const server = await startNatsServer({ config: readFileSync(join(dir, 'authorization.conf'), 'utf8') });
    try {
      const seed = readFileSync(join(dir, 'web.nk'));
      const nc = await connect({ servers: server.url, authenticator: nkeyAuthenticator(seed), inboxPrefix: '_INBOX_web' });
      const responder = await connect({ servers: server.url, authenticator: nkeyAuthenticator(readFileSync(join(dir, 'hotel.rooms.nk'))) });
      responder.subscribe('hotel.rooms.list', { queue: 'hotel.rooms', callback: (_, m) => m.respond(new TextEncoder().encode('[]')) });
      await responder.flush();
      expect(new TextDecoder().decode((await nc.request('hotel.rooms.list', undefined, { timeout: 2000 })).data)).toBe('[]');
      await expect(nc.request('hotel.rooms.reserve', undefined, { timeout: 2000 })).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
      await nc.close();
      await responder.close();
    } finally {
      await server.stop();
    }
  });

  it('--check prints who may call each endpoint and passes when every declared call is allowed', async () => {
    const r = await natsmesh('acl', ...HOTEL, ...WEB, '--check');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/hotel\.payments\.charge\s+hotel\.payments\s+hotel\.booking\s+hotel\.booking/);
    expect(r.out).toMatch(/hotel\.booking\.save\s+hotel\.booking\s+\(any declared\)\s+web/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--check fails and names the fix when a declared call is not allowed by the callee', async () => {
    const r = await natsmesh('acl', ...HOTEL, '--caller', 'web=hotel.payments.charge', '--check');
    expect(r.code).toBe(1);
    expect(r.err).toContain('web declares a call to "hotel.payments.charge", but hotel.payments allows only hotel.booking');
  });

  it('keeps a seed that is already there', async () => {
    await natsmesh('acl', ...HOTEL, '--out', dir);
    const seed = readFileSync(join(dir, 'hotel.rooms.nk'), 'utf8');
    writeFileSync(join(dir, 'authorization.conf'), 'stale');
    await natsmesh('acl', ...HOTEL, '--out', dir);
    expect(readFileSync(join(dir, 'hotel.rooms.nk'), 'utf8')).toBe(seed);
    expect(readFileSync(join(dir, 'authorization.conf'), 'utf8')).toContain('authorization {');
  });

  it('refuses a caller without endpoints and an unknown format', async () => {
    expect((await natsmesh('acl', ...HOTEL, '--caller', 'web', '--out', dir)).code).toBe(2);
    expect((await natsmesh('acl', ...HOTEL, '--format', 'xml', '--out', dir)).code).toBe(2);
  });

  describe('--format jwt', () => {
    it('writes an operator, an account and one 0600 .creds per user, byte-identical when regenerated', async () => {
      const r = await natsmesh('acl', ...HOTEL, ...WEB, '--format', 'jwt', '--out', dir);
      expect(r).toMatchObject({ code: 0, err: '' });
      const files = readdirSync(dir).sort();
      expect(files).toEqual(expect.arrayContaining(['server.conf', 'operator.jwt', 'account.jwt', 'operator.nk', 'account.nk', 'web.creds', 'web.nk', 'hotel.booking.creds', 'keys.json']));
      for (const f of files.filter((n) => /\.(nk|creds)$/.test(n))) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
      expect(r.out).not.toMatch(/(^|[^A-Z2-7])S[OAU][A-Z2-7]{50,}/);
      const first = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
      await new Promise((res) => setTimeout(res, 1100)); // a JWT issued a second later would differ
      expect((await natsmesh('acl', ...HOTEL, ...WEB, '--format', 'jwt', '--out', dir)).code).toBe(0);
      expect(new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).toEqual(first);
    });

    it('runs the hotel end to end with one .creds per service; the caller may request only what it was given; all read the rules', async () => {
      expect((await natsmesh('acl', ...HOTEL, ...WEB, '--format', 'jwt', '--out', dir)).code).toBe(0);
      const server = await startNatsServer({ jetstream: true, config: readFileSync(join(dir, 'server.conf'), 'utf8') });
      const apps: App[] = [];
      let admin: MeshAdmin | undefined;
      try {
        for (const service of hotel.HOTEL_SERVICES) {
          const name = scanService(service).name;
          const app = await createApp({
            services: [service],
            providers: [{ token: payments.PAYMENT_CONFIG, useValue: payments.DEFAULT_PAYMENT_CONFIG }],
            nats: { servers: server.url, credsFile: join(dir, `${name}.creds`) },
            logger: false,
          });
          await app.start();
          apps.push(app);
        }
        const web = await createClient({ nats: { servers: server.url, credsFile: join(dir, 'web.creds'), inboxPrefix: '_INBOX_web' }, logger: false });
        try {
          await expect(web.request('hotel.booking.save', { guest: 'Ann', room: 101, nights: 1 })).resolves.toMatchObject({ status: 'confirmed' });
          await expect(web.request('hotel.payments.charge', {}, { timeout: 100 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
          // An operator's user of the same account writes a rule: every service and the caller read it.
          admin = await createAdmin({ nats: { servers: server.url, credsFile: await operatorCreds(dir) }, warnings: false });
          const route = { service: 'hotel.rooms', weights: { '1.0.0': 100 } };
          const views = [...apps.map((a) => a.rules), web.rules].map((view) => nextRules(view, (r) => r.routes.length > 0).then((r) => r.routes));
          await admin.routes.set(route);
          // Bounded, so that a failure still reaches the finally blocks that close every connection.
          const gaveUp = new Promise((_, reject) => setTimeout(() => reject(new Error('gave up waiting for the rule in every view')), 10_000).unref());
          expect(await Promise.race([Promise.all(views), gaveUp])).toEqual(views.map(() => [route]));
        } finally {
          await web.close();
        }
        const nc = await connect({ servers: server.url, authenticator: credsAuthenticator(readFileSync(join(dir, 'web.creds'))), inboxPrefix: '_INBOX_web' });
        await expect(nc.request('hotel.rooms.reserve', undefined, { timeout: 1000 })).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
        const inboxes = nc.subscribe('_INBOX.>');
        await nc.flush();
        expect(inboxes.isClosed()).toBe(true);
        await nc.close();
      } finally {
        await admin?.close();
        for (const app of apps) await app.stop();
        await server.stop();
      }
    });
  });
});

/** A user of the generated account allowed everything (as an operator's own would be), as a .creds file in `dir`. */
async function operatorCreds(dir: string): Promise<string> {
  const account = fromSeed(new TextEncoder().encode(readFileSync(join(dir, 'account.nk'), 'utf8').trim()));
  const user = createUser();
  const jwt = await encodeUser('operator', user, account, { pub: { allow: ['>'] }, sub: { allow: ['>'] } });
  const path = join(dir, 'operator.creds');
  writeFileSync(path, fmtCreds(jwt, user), { mode: 0o600 });
  return path;
}
