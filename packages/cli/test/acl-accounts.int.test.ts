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

describe('natsmesh acl reads @Service({ account }) from code (found by the accounts trial: it was dropped)', () => {
  it('groups services by the account named in code, a mapping file winning over it', async () => {
    const module = ['--module', 'packages/cli/test/fixtures/team-services.ts'];
    const coded = JSON.parse((await natsmesh('acl', ...module, '--check', '--json')).out) as { accounts: { name: string; users: string[]; imports: { subject: string }[] }[] };
    expect(coded.accounts.map((a) => `${a.name}:${a.users.join(',')}:${a.imports.map((i) => i.subject).join(',')}`)).toEqual(['FRONT:team.front:team.shop.buy', 'SHOP:team.shop:']);
    const dir = mkdtempSync(join(tmpdir(), 'natsmesh-accounts-'));
    try {
      writeFileSync(join(dir, 'accounts.yaml'), 'ONE: ["team.>"]\n');
      const mapped = JSON.parse((await natsmesh('acl', ...module, '--accounts', join(dir, 'accounts.yaml'), '--check', '--json')).out) as { accounts: { name: string }[] };
      expect(mapped.accounts.map((a) => a.name)).toEqual(['ONE']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('natsmesh acl keeps the operator and account keys apart from the users (found by the accounts trial)', () => {
  it('refuses a caller role whose seed file would be an operator or account key file, and an account named SYS in JWT mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'natsmesh-accounts-'));
    try {
      for (const name of ['operator', 'system', 'account', 'account-STAY']) {
        const r = await natsmesh('acl', ...HOTEL, '--caller', `${name}=hotel.rooms.list`, '--format', 'jwt', '--out', dir);
        expect(r).toMatchObject({ code: 2, err: expect.stringContaining(`"${name}" would write its seed to ${name}.nk`) });
      }
      writeFileSync(join(dir, 'accounts.yaml'), 'SYS: [hotel.rooms]\n');
      const sys = await natsmesh('acl', ...HOTEL, '--accounts', join(dir, 'accounts.yaml'), '--format', 'jwt', '--out', join(dir, 'out'));
      expect(sys).toMatchObject({ code: 2, err: expect.stringContaining('writes the system account SYS itself') });
      expect(readdirSync(dir).filter((f) => f.endsWith('.nk'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('natsmesh acl --format jwt revokes the credentials a regeneration replaces (found by the accounts trial)', () => {
  it('a removed role, a service moved to another account and a role whose permissions changed cannot log in with their old .creds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'natsmesh-revoke-'));
    const out = join(dir, 'acl');
    const mapping = join(dir, 'accounts.yaml');
    const old = (name: string) => readFileSync(join(out, `${name}.creds`));
    const login = async (server: { url: string }, creds: Uint8Array): Promise<string> =>
      connect({ servers: server.url, authenticator: credsAuthenticator(creds), reconnect: false }).then(
        async (nc) => {
          await nc.close();
          return 'in';
        },
        (err: { code?: string }) => String(err.code),
      );
    try {
      writeFileSync(mapping, 'STAY: [hotel.booking, hotel.rooms]\n');
      const first = ['acl', ...HOTEL, '--caller', 'web=hotel.booking.save', '--caller', 'gone=hotel.rooms.list', '--accounts', mapping, '--format', 'jwt', '--out', out];
      expect(await natsmeshBin(...first)).toBe(0);
      const before = { web: old('web'), gone: old('gone'), rooms: old('hotel.rooms'), booking: old('hotel.booking') };
      writeFileSync(mapping, 'STAY: [hotel.booking]\nROOMS: [hotel.rooms]\n');
      expect(await natsmeshBin('acl', ...HOTEL, '--caller', 'web=hotel.booking.save,hotel.booking.get', '--accounts', mapping, '--format', 'jwt', '--out', out)).toBe(0);
      expect(readdirSync(out)).not.toContain('gone.creds');
      const server = await startNatsServer({ config: readFileSync(join(out, 'server.conf'), 'utf8') });
      try {
        const outcomes = {
          oldWeb: await login(server, before.web),
          oldGone: await login(server, before.gone),
          oldRooms: await login(server, before.rooms),
          oldBooking: await login(server, before.booking),
          newWeb: await login(server, old('web')),
          newRooms: await login(server, old('hotel.rooms')),
        };
        // hotel.booking kept its account and permissions: its .creds is the same and still works.
        expect(outcomes).toEqual({ oldWeb: 'AUTHORIZATION_VIOLATION', oldGone: 'AUTHORIZATION_VIOLATION', oldRooms: 'AUTHORIZATION_VIOLATION', oldBooking: 'in', newWeb: 'in', newRooms: 'in' });
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
