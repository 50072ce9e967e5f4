import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, credsAuthenticator, JSONCodec } from 'nats';
import { createApp, createClient, describeService, generateAcl, On, Service, Handle, scanService, type App, type Constructor, type Context } from '@natsmesh/core';
import { startNatsServer } from '@natsmesh/testing';
import { writeJwtFiles } from '../src/acl/jwt-files';
import { natsmesh } from './run-natsmesh';

const HOTEL = ['--scan', 'examples/hotel/dist/**/*.service.js'];
const WEB = ['--caller', 'web=hotel.booking.save,hotel.rooms.list'];
const ACCOUNTS_YAML = ['# one account per team', 'FRONT: [web]', 'STAY: [hotel.booking, hotel.rooms]', 'PAYMENTS: [hotel.payments]', 'OPS: ["hotel.compliance", "hotel.logging", "hotel.persistence"]', ''].join('\n');

const hotel = require(join(process.cwd(), 'examples/hotel/dist/services')) as { HOTEL_SERVICES: Constructor[] };
const payments = require(join(process.cwd(), 'examples/hotel/dist/payments/payment-config')) as { PAYMENT_CONFIG: symbol; DEFAULT_PAYMENT_CONFIG: unknown };
const jc = JSONCodec();

/**
 * The installed binary, for JWT mode: nkeys' pure-JS ed25519 signs about ten times slower inside
 * jest's module sandbox than in node, and JWT mode signs every account, user and activation.
 */
async function natsmeshBin(...argv: string[]): Promise<number> {
  const done = await promisify(execFile)(process.execPath, [join(__dirname, '../bin/natsmesh.js'), ...argv]).then(() => 0, (err: { code: number }) => err.code);
  return done;
}

const audited: string[] = [];

@Service('jwt.orders', { account: 'SHOP', emits: ['jwt.orders.created'] })
class OrdersService {
  @Handle('place')
  place(input: { id: string }, ctx: Context) {
    ctx.emit('jwt.orders.created', { id: input.id });
    return { placed: input.id };
  }
}

@Service('jwt.audit', { account: 'AUDIT' })
class AuditService {
  @On('jwt.orders.created', { durable: 'jwt-audit' })
  onCreated(evt: { id: string }) {
    audited.push(evt.id);
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

describe('natsmesh acl --accounts', () => {
  let dir: string;
  let accounts: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'natsmesh-accounts-'));
    accounts = join(dir, 'accounts.yaml');
    writeFileSync(accounts, ACCOUNTS_YAML);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('--check shows each account, its users and what it imports from which account', async () => {
    const r = await natsmesh('acl', ...HOTEL, ...WEB, '--accounts', accounts, '--check');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/FRONT\s+web\s+service hotel\.booking\.save from STAY, service hotel\.rooms\.list from STAY/);
    expect(r.out).toMatch(/STAY\s+hotel\.booking,hotel\.rooms\s+service hotel\.payments\.charge from PAYMENTS, service hotel\.payments\.refund from PAYMENTS/);
  });

  it('writes an accounts block in server mode, with exports to the importing accounts only', async () => {
    const r = await natsmesh('acl', ...HOTEL, ...WEB, '--accounts', accounts, '--out', join(dir, 'acl'), '--json');
    expect(r.code).toBe(0);
    const users = (JSON.parse(r.out) as { users: { name: string; account: string }[] }).users;
    expect(users.find((u) => u.name === 'hotel.payments')).toMatchObject({ account: 'PAYMENTS' });
    const conf = readFileSync(join(dir, 'acl', 'authorization.conf'), 'utf8');
    expect(conf).toContain('{ service: "hotel.payments.charge", accounts: ["STAY"] }');
    expect(conf).toContain('{ service: { account: "STAY", subject: "hotel.rooms.list" } }');
    expect(conf).not.toContain('authorization {');
  });

  it('refuses a user two accounts claim, and a mapping that is no YAML', async () => {
    writeFileSync(accounts, 'A: [hotel.booking]\nB: ["hotel.>"]\n');
    const r = await natsmesh('acl', ...HOTEL, '--accounts', accounts, '--check');
    expect(r.code).toBe(1);
    expect(r.err).toContain('puts "hotel.booking" in A and B');
    writeFileSync(accounts, 'A: [hotel.booking\n');
    expect((await natsmesh('acl', ...HOTEL, '--accounts', accounts, '--check')).code).toBe(2);
  });

  it('--format jwt: one JWT per account, activations included, byte-identical when regenerated', async () => {
    const out = join(dir, 'acl');
    expect(await natsmeshBin('acl', ...HOTEL, ...WEB, '--accounts', accounts, '--format', 'jwt', '--out', out)).toBe(0);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['account-FRONT.jwt', 'account-STAY.nk', 'system.jwt', 'operator.jwt', 'server.conf', 'web.creds']));
    const first = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    await new Promise((res) => setTimeout(res, 1100)); // a JWT or activation issued a second later would differ
    expect(await natsmeshBin('acl', ...HOTEL, ...WEB, '--accounts', accounts, '--format', 'jwt', '--out', out)).toBe(0);
    expect(new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(first);
  });

  it('--format jwt: the hotel runs end to end across four accounts', async () => {
    const out = join(dir, 'acl');
    expect(await natsmeshBin('acl', ...HOTEL, ...WEB, '--accounts', accounts, '--format', 'jwt', '--out', out)).toBe(0);
    const server = await startNatsServer({ config: readFileSync(join(out, 'server.conf'), 'utf8') });
    const apps: App[] = [];
    try {
      for (const service of hotel.HOTEL_SERVICES) {
        const app = await createApp({
          services: [service],
          providers: [{ token: payments.PAYMENT_CONFIG, useValue: payments.DEFAULT_PAYMENT_CONFIG }],
          nats: { servers: server.url, credsFile: join(out, `${scanService(service).name}.creds`) },
          logger: false,
        });
        await app.start();
        apps.push(app);
      }
      const web = await createClient({ nats: { servers: server.url, credsFile: join(out, 'web.creds'), inboxPrefix: '_INBOX_web' } });
      try {
        // web (FRONT) → hotel.booking (STAY) → hotel.payments (PAYMENTS): two imports on the way.
        await expect(web.request('hotel.booking.save', { guest: 'Ann', room: 101, nights: 1 })).resolves.toMatchObject({ status: 'confirmed', paymentId: expect.stringMatching(/^pay-/) });
      } finally {
        await web.close();
      }
      // An OPS user may subscribe to anything its permissions allow, but gets only the imported events.
      const ops = await connect({ servers: server.url, authenticator: credsAuthenticator(readFileSync(join(out, 'hotel.persistence.creds'))), inboxPrefix: '_INBOX_hotel_persistence' });
      const seen: string[] = [];
      ops.subscribe('app.>', { callback: (_e, m) => seen.push(m.subject) });
      await ops.flush();
      const again = await createClient({ nats: { servers: server.url, credsFile: join(out, 'web.creds'), inboxPrefix: '_INBOX_web' } });
      await again.request('hotel.booking.save', { guest: 'Bo', room: 102, nights: 1 });
      await again.close();
      await until(() => seen.includes('app.booking.save') && seen.includes('app.payments.save'), 'events in OPS');
      await ops.close();
    } finally {
      for (const app of apps) await app.stop();
      await server.stop();
    }
  });

  it('--format jwt: JetStream runs (system account), and a durable @On in another account gets events through the stream import', async () => {
    const acl = generateAcl([OrdersService, AuditService].map((c) => describeService(scanService(c))), { callers: [{ name: 'web', calls: ['jwt.orders.place'] }] });
    expect(acl.accounts.map((a) => `${a.name}:${a.users.join(',')}:${a.jetstream}`)).toEqual(['AUDIT:jwt.audit:true', 'SHOP:jwt.orders:false', 'natsmesh:web:false']);
    await writeJwtFiles(dir, acl);
    const server = await startNatsServer({ jetstream: true, config: readFileSync(join(dir, 'server.conf'), 'utf8') });
    const apps: App[] = [];
    try {
      for (const service of [AuditService, OrdersService]) {
        const app = await createApp({ services: [service], nats: { servers: server.url, credsFile: join(dir, `${scanService(service).name}.creds`) }, logger: false });
        await app.start();
        apps.push(app);
      }
      const nc = await connect({ servers: server.url, authenticator: credsAuthenticator(readFileSync(join(dir, 'web.creds'))), inboxPrefix: '_INBOX_web' });
      expect(jc.decode((await nc.request('jwt.orders.place', jc.encode({ id: 'o-1' }), { timeout: 2000 })).data)).toEqual({ placed: 'o-1' });
      await nc.close();
      await until(() => audited.includes('o-1'), 'the durable event in AUDIT');
    } finally {
      for (const app of apps) await app.stop();
      await server.stop();
    }
  });
});
