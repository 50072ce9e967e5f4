import 'reflect-metadata';
import { connect, JSONCodec, nkeyAuthenticator, nkeys, type NatsConnection } from 'nats';
import {
  createApp,
  createClient,
  createLogger,
  describeService,
  generateAcl,
  Handle,
  inboxPrefixOf,
  MeshError,
  renderServerAuthorization,
  scanService,
  Service,
  type AccountMapping,
  type Acl,
  type App,
  type Constructor,
  type MeshClient,
} from '@natsmesh/core';
import { startNatsServer, catchMeshError, type NatsServerHandle } from '@natsmesh/testing';
import { DEFAULT_PAYMENT_CONFIG, PAYMENT_CONFIG } from '../src/payments/payment-config';
import { HOTEL_SERVICES } from '../src/services';
import { ReceivedEvents } from '../src/subscribers/received-events';

const lines: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'warn', sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
const jc = JSONCodec();

/** The web front end may book, look a booking up and list rooms; it also asks for charges, which hotel.payments does not allow it. */
const WEB = { name: 'web', calls: ['hotel.booking.save', 'hotel.booking.get', 'hotel.rooms.list', 'hotel.payments.charge'] };

/** What the hotel declares and allows: hotel.booking calls rooms and payments, both allow only it. */
const ALLOWED = new Set(['hotel.booking → hotel.rooms.reserve', 'hotel.booking → hotel.rooms.release', 'hotel.booking → hotel.payments.charge', 'hotel.booking → hotel.payments.refund']);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

function nameOf(c: Constructor): string {
  return scanService(c).name;
}

/** Accounts mode: one account per team; the subscribers are operations', the front end its own. */
const ACCOUNTS: AccountMapping = {
  FRONT: ['web'],
  STAY: ['hotel.booking', 'hotel.rooms'],
  PAYMENTS: ['hotel.payments'],
  OPS: ['hotel.compliance', 'hotel.logging', 'hotel.persistence'],
};

describe.each([
  ['one account', undefined],
  ['accounts mode (FRONT, STAY, PAYMENTS, OPS)', ACCOUNTS],
])('the hotel under generated NATS permissions (one nkey user per service), %s', (_mode, accounts) => {
  let server: NatsServerHandle;
  let acl: Acl;
  const apps = new Map<string, App>();
  const auth = (user: string) => ({ servers: server.url, nkeySeed: acl.seeds[user] });

  beforeAll(async () => {
    lines.length = 0;
    acl = generateAcl(HOTEL_SERVICES.map((c) => describeService(scanService(c))), { callers: [WEB], accounts });
    server = await startNatsServer({ config: renderServerAuthorization(acl) });
    for (const service of HOTEL_SERVICES) {
      const name = nameOf(service);
      const app = await createApp({
        services: [service],
        providers: [{ token: PAYMENT_CONFIG, useValue: DEFAULT_PAYMENT_CONFIG }],
        nats: auth(name),
        logger,
        instance: name.replace('.', '-'),
      });
      await app.start();
      apps.set(name, app);
    }
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.stop();
    apps.clear();
    await server?.stop();
  });

  it("reports the call the callee's allow refuses, and grants it to no one else", () => {
    expect(acl.problems).toEqual([expect.objectContaining({ kind: 'not-allowed', caller: 'web', subject: 'hotel.payments.charge' })]);
    expect(acl.matrix.find((r) => r.subject === 'hotel.payments.charge')).toMatchObject({ allow: ['hotel.booking'], callers: ['hotel.booking'] });
  });

  it('runs end to end: the web caller books a room, booking reserves and charges, the subscribers get the events', async () => {
    const web = await createClient({ nats: { ...auth('web'), inboxPrefix: inboxPrefixOf('web') } });
    try {
      const saved = (await web.request('hotel.booking.save', { guest: 'Ann', room: 101, nights: 2 })) as { id: string; status: string; paymentId: string };
      expect(saved).toMatchObject({ status: 'confirmed', paymentId: expect.stringMatching(/^pay-/) });
      await expect(web.request('hotel.booking.get', { id: saved.id })).resolves.toEqual(saved);
      expect((await web.request('hotel.rooms.list', {})) as { number: number; available: boolean }[]).toContainEqual(expect.objectContaining({ number: 101, available: false }));
      const persisted = () => apps.get('hotel.persistence')!.container.resolve(ReceivedEvents).of('persistence').map((e) => e.subject);
      await until(() => persisted().includes('app.booking.save') && persisted().includes('app.payments.save'), 'the events in hotel.persistence');
    } finally {
      await web.close();
    }
    expect(lines.filter((l) => String(l.msg).includes('NATS refused'))).toEqual([]);
  });

  it('every pair of services: a declared and allowed call succeeds, every other gets FORBIDDEN before a 100 ms timeout', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [caller, app] of apps) {
      for (const callee of HOTEL_SERVICES.map((c) => scanService(c))) {
        for (const e of callee.endpoints) {
          const pair = `${caller} → ${e.subject}`;
          const allowed = ALLOWED.has(pair);
          expected.push(`${pair}: ${allowed ? 'reached' : 'FORBIDDEN'}`);
          const err = await catchMeshError(app.client.request(e.subject, {}, { timeout: allowed ? 2000 : 100 })).catch(() => undefined);
          const reached = err === undefined || !['FORBIDDEN', 'TIMEOUT', 'NO_RESPONDERS', 'UNAVAILABLE'].includes(err.code);
          outcomes.push(`${pair}: ${reached ? 'reached' : err!.code}`);
        }
      }
    }
    expect(outcomes).toEqual(expected);
    expect(outcomes.filter((o) => o.endsWith('reached'))).toHaveLength(ALLOWED.size);
  });

  it('names the missing declaration in the log when a call is refused', async () => {
    lines.length = 0;
    const err = await catchMeshError(apps.get('hotel.rooms')!.client.request('hotel.payments.charge', {}, { timeout: 100 }));
    expect(err).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(err.message).toContain("calls: ['hotel.payments.charge']");
    await until(() => lines.some((l) => l.subject === 'hotel.payments.charge'), 'the log line');
    expect(lines.find((l) => l.subject === 'hotel.payments.charge')).toMatchObject({ level: 50, missing: 'calls', services: ['hotel.rooms'] });
  });

  it("a service cannot subscribe to another's endpoint subjects or to _INBOX.>", async () => {
    const nc = await connect({ servers: server.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(acl.seeds['hotel.rooms'])), inboxPrefix: inboxPrefixOf('hotel.rooms') });
    try {
      const steal = nc.subscribe('hotel.payments.charge', { queue: 'hotel.payments' });
      const plain = nc.subscribe('hotel.payments.charge');
      const inboxes = nc.subscribe('_INBOX.>');
      const otherInbox = nc.subscribe(`${inboxPrefixOf('hotel.booking')}.>`);
      const own = nc.subscribe('hotel.rooms.list', { queue: 'hotel.rooms' });
      await nc.flush();
      expect([steal, plain, inboxes, otherInbox, own].map((s) => s.isClosed())).toEqual([true, true, true, true, false]);
    } finally {
      await nc.close();
    }
  });

  it('an app whose handler takes another service’s subject fails at start with FORBIDDEN', async () => {
    @Service('hotel.rooms')
    class Thief {
      @Handle('charge', { subject: 'hotel.payments.charge', queue: 'hotel.payments' })
      charge(): string {
        return 'stolen';
      }
    }
    const app = await createApp({ services: [Thief], nats: auth('hotel.rooms'), logger, discovery: false });
    const err = await catchMeshError(app.start()).finally(() => app.stop());
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    expect(err.message).toContain('"hotel.payments.charge" (queue hotel.payments)');
  });

  it('a plain nats.js client with the caller credentials can call only the listed endpoints', async () => {
    const nc: NatsConnection = await connect({ servers: server.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(acl.seeds.web)), inboxPrefix: inboxPrefixOf('web') });
    try {
      const rooms = await nc.request('hotel.rooms.list', jc.encode({}), { timeout: 2000 });
      expect(Array.isArray(jc.decode(rooms.data))).toBe(true);
      const refused: string[] = [];
      for (const subject of ['hotel.booking.cancel', 'hotel.booking.list', 'hotel.payments.charge', 'hotel.rooms.reserve', 'app.booking.save']) {
        const err = await nc.request(subject, jc.encode({}), { timeout: 1000 }).then(() => undefined, (e: { code?: string }) => e.code);
        refused.push(`${subject}: ${err}`);
      }
      expect(refused).toEqual([
        'hotel.booking.cancel: PERMISSIONS_VIOLATION',
        'hotel.booking.list: PERMISSIONS_VIOLATION',
        'hotel.payments.charge: PERMISSIONS_VIOLATION',
        'hotel.rooms.reserve: PERMISSIONS_VIOLATION',
        'app.booking.save: PERMISSIONS_VIOLATION',
      ]);
    } finally {
      await nc.close();
    }
  });

  it('a natsmesh client with the caller credentials gets FORBIDDEN for an endpoint it was not given', async () => {
    const web: MeshClient = await createClient({ nats: { ...auth('web'), inboxPrefix: inboxPrefixOf('web') } });
    try {
      const err = await catchMeshError(web.request('hotel.payments.charge', {}, { timeout: 100 }));
      expect(err).toBeInstanceOf(MeshError);
      expect(err).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    } finally {
      await web.close();
    }
  });
});

describe('the hotel in accounts mode: requests and events cross accounts through the generated imports only', () => {
  let server: NatsServerHandle;
  let acl: Acl;
  const apps: App[] = [];
  /** A user of `account` that NATS permissions would let publish and subscribe anything. */
  const PROBES = ['FRONT', 'OPS'].map((account) => ({ account, seed: new TextDecoder().decode(nkeys.createUser().getSeed()) }));

  beforeAll(async () => {
    acl = generateAcl(HOTEL_SERVICES.map((c) => describeService(scanService(c))), { callers: [WEB], accounts: ACCOUNTS });
    // Only the account boundary stands between these users and the other accounts' traffic.
    const probes = PROBES.map((p) => ({
      name: `probe-${p.account}`,
      kind: 'caller' as const,
      inboxPrefix: '_INBOX',
      nkey: nkeys.fromSeed(new TextEncoder().encode(p.seed)).getPublicKey(),
      account: p.account,
      publish: ['>'],
      subscribe: ['>'],
    }));
    const open: Acl = {
      ...acl,
      users: [...acl.users, ...probes],
      accounts: acl.accounts.map((a) => ({ ...a, users: [...a.users, ...probes.filter((p) => p.account === a.name).map((p) => p.name)] })),
    };
    server = await startNatsServer({ config: renderServerAuthorization(open) });
    for (const service of HOTEL_SERVICES) {
      const app = await createApp({
        services: [service],
        providers: [{ token: PAYMENT_CONFIG, useValue: DEFAULT_PAYMENT_CONFIG }],
        nats: { servers: server.url, nkeySeed: acl.seeds[nameOf(service)] },
        logger,
      });
      await app.start();
      apps.push(app);
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await server?.stop();
  });

  it('exports exactly the endpoints and events another account declares it uses, to that account only', () => {
    const links = acl.accounts.flatMap((a) => a.exports.map((e) => `${a.name} ${e.kind} ${e.subject} → ${e.accounts.join(',')}`));
    expect(links).toEqual([
      'PAYMENTS service hotel.payments.charge → STAY',
      'PAYMENTS service hotel.payments.refund → STAY',
      ...['app.payments.delete', 'app.payments.error', 'app.payments.save'].map((s) => `PAYMENTS stream ${s} → OPS`),
      'STAY service hotel.booking.get → FRONT',
      'STAY service hotel.booking.save → FRONT',
      'STAY service hotel.rooms.list → FRONT',
      ...['app.booking.delete', 'app.booking.save', 'app.booking.warn', 'app.rooms.info', 'app.rooms.warn'].map((s) => `STAY stream ${s} → OPS`),
    ]);
    expect(acl.accounts.find((a) => a.name === 'FRONT')!.imports.map((i) => `${i.kind} ${i.account} ${i.subject}`)).toEqual([
      'service STAY hotel.booking.get',
      'service STAY hotel.booking.save',
      'service STAY hotel.rooms.list',
    ]);
    expect(acl.users.find((u) => u.name === 'web')).toMatchObject({ account: 'FRONT' });
  });

  it('an imported endpoint answers a user of another account; one that is not imported has no responders there, whatever the permissions', async () => {
    const nc = await connect({ servers: server.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(PROBES[0].seed)) });
    try {
      const rooms = await nc.request('hotel.rooms.list', jc.encode({}), { timeout: 2000 });
      expect(Array.isArray(jc.decode(rooms.data))).toBe(true);
      const missing: string[] = [];
      for (const subject of ['hotel.payments.charge', 'hotel.rooms.reserve', 'hotel.booking.cancel']) {
        missing.push(`${subject}: ${await nc.request(subject, jc.encode({}), { timeout: 1000 }).then(() => 'answered', (e: { code?: string }) => e.code)}`);
      }
      expect(missing).toEqual(['hotel.payments.charge: 503', 'hotel.rooms.reserve: 503', 'hotel.booking.cancel: 503']);
    } finally {
      await nc.close();
    }
  });

  it('events reach the accounts that import them, and no other', async () => {
    const front = await connect({ servers: server.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(PROBES[0].seed)) });
    const ops = await connect({ servers: server.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(PROBES[1].seed)) });
    const web = await createClient({ nats: { servers: server.url, nkeySeed: acl.seeds.web, inboxPrefix: inboxPrefixOf('web') } });
    try {
      const seen = { front: [] as string[], ops: [] as string[] };
      front.subscribe('app.>', { callback: (_e, m) => seen.front.push(m.subject) });
      ops.subscribe('app.>', { callback: (_e, m) => seen.ops.push(m.subject) });
      await Promise.all([front.flush(), ops.flush()]);
      await web.request('hotel.booking.save', { guest: 'Bo', room: 102, nights: 1 });
      await until(() => seen.ops.includes('app.booking.save') && seen.ops.includes('app.payments.save'), 'the events in OPS');
      await front.flush();
      expect(seen.front).toEqual([]);
    } finally {
      await web.close();
      await front.close();
      await ops.close();
    }
  });
});
