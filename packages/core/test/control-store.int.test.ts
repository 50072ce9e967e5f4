import 'reflect-metadata';
import { startNatsServer, catchMeshError, nextRules, type NatsServerHandle } from '@natsmesh/testing';
import { createAdmin, createApp, createClient, Handle, NO_RULES, Service, type App, type MeshAdmin, type MeshClient, type MeshRules } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

@Service('store.booking', { version: '1.2.0' })
class BookingService {
  @Handle('save')
  save(input: { room: number }) {
    return { id: input.room };
  }
}


const ROUTE = { service: 'store.booking', weights: { '1.2.0': 90, '2.0.0': 10 } };

describe('control plane store with JetStream', () => {
  let server: NatsServerHandle;
  let admin: MeshAdmin;
  let app: App;
  let client: MeshClient;
  const apps: App[] = [];
  const appLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    // Started before the bucket exists: both must pick it up when the admin creates it.
    app = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: quietLogger(appLines), discovery: false });
    await app.start();
    client = await createClient({ nats: { servers: server.url }, logger: false });
    admin = await createAdmin({ nats: { servers: server.url }, warnings: false });
  });

  afterAll(async () => {
    await client?.close();
    for (const a of [app, ...apps]) await a?.stop();
    await admin?.close();
    await server?.stop();
  });

  it('a rule set through the admin reaches a running app and a client', async () => {
    expect(app.rules.current()).toBe(NO_RULES);
    const seenByApp = nextRules(app.rules, (r) => r.routes.length === 1);
    const seenByClient = nextRules(client.rules, (r) => r.routes.length === 1);
    await admin.routes.set(ROUTE);
    expect((await seenByApp).routes).toEqual([ROUTE]);
    expect((await seenByClient).routes).toEqual([ROUTE]);
    expect(await admin.routes.get('store.booking')).toEqual(ROUTE);
  });

  it('an app started after a rule was written holds it when start() resolves', async () => {
    await admin.routes.set(ROUTE);
    const later = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    apps.push(later);
    await later.start();
    expect(later.rules.current().routes).toEqual([ROUTE]);
  });

  describe('a malformed rule is refused by the admin with INVALID_RULE naming the field, and the rules in force stay', () => {
    const inForce = () => JSON.stringify(client.rules.current());

    beforeAll(async () => {
      await admin.routes.set(ROUTE);
      await nextRules(client.rules, (r) => r.routes.length === 1);
    });

    it.each([
      ['route weights summing to 120', () => admin.routes.set({ service: 'store.booking', weights: { '1.2.0': 90, '2.0.0': 30 } }), 'weights', /sum to 120, not 100/],
      ['an unknown field', () => admin.routes.set({ service: 'store.booking', weights: { '1.2.0': 100 }, wieghts: {} } as never), 'wieghts', /unknown field "wieghts"/],
      ['a fault without expiresAt', () => admin.faults.set({ name: 'slow', service: 'store.booking', delay: { ms: 100, percent: 10 } } as never), 'expiresAt', /expiresAt is missing/],
      ['a bad percent', () => admin.mirrors.set({ service: 'store.booking', version: '2.0.0', percent: 150 }), 'percent', /percent is 150: use a percentage from 0 to 100/],
    ])('%s', async (_, write, field, message) => {
      const before = inForce();
      const err = await catchMeshError(write());
      expect(err).toMatchObject({ code: 'INVALID_RULE', status: 400, details: [expect.objectContaining({ field })] });
      expect(err.message).toMatch(message);
      expect(await admin.rules()).toEqual({ routes: [ROUTE], mirrors: [], faults: [], canaries: [] });
      expect(inForce()).toBe(before);
    });

    it('apply with one bad rule among good ones writes nothing', async () => {
      const err = await catchMeshError(
        admin.apply({
          routes: [{ service: 'store.rooms', weights: { '1.0.0': 100 } }],
          mirrors: [{ service: 'store.booking', version: '2.0.0', percent: 10 }],
          faults: [{ name: 'late', service: 'store.booking', delay: { ms: 50, percent: 101 }, expiresAt: Date.now() + 60_000 }],
        }),
      );
      expect(err).toMatchObject({ code: 'INVALID_RULE', details: [expect.objectContaining({ field: 'faults.0.delay.percent' })] });
      expect(await admin.rules()).toEqual({ routes: [ROUTE], mirrors: [], faults: [], canaries: [] });
    });
  });

  it('apply writes a whole rule set, and prune deletes what it does not hold', async () => {
    const mirror = { service: 'store.booking', version: '2.0.0', percent: 10 };
    const applied = nextRules(client.rules, (r) => r.mirrors.length === 1 && r.routes.length === 0);
    const result = await admin.apply({ mirrors: [mirror] }, { prune: true });
    expect(result).toMatchObject({ written: ['mirror.store.booking'], deleted: ['route.store.booking'] });
    expect(await applied).toEqual({ routes: [], mirrors: [mirror], faults: [], canaries: [] });
    await admin.apply({ routes: [ROUTE] }, { prune: true });
    expect(await admin.rules()).toEqual({ routes: [ROUTE], mirrors: [], faults: [], canaries: [] });
  });

  it('a fault leaves the views when its expiresAt passes, without a new write', async () => {
    const fault = { name: 'brief', service: 'store.booking', abort: { code: 'UNAVAILABLE', percent: 30 }, expiresAt: Date.now() + 1500 };
    const seen = nextRules(app.rules, (r) => r.faults.length === 1);
    await admin.faults.set(fault);
    expect((await seen).faults).toEqual([fault]);
    await nextRules(app.rules, (r) => r.faults.length === 0);
    // Still stored (admin.faults.list shows it); only the views leave it out.
    expect(await admin.faults.list()).toEqual([fault]);
  });

  it('a value in the bucket that is not a valid rule is logged and skipped', async () => {
    await admin.apply({ routes: [ROUTE] }, { prune: true });
    const kv = await client.connection.jetstream().views.kv('natsmesh_rules');
    const skipped = nextRules(app.rules, (r) => r.canaries.length === 0 && r.routes.length === 1);
    await kv.put('canary.store.booking', JSON.stringify({ service: 'store.booking', from: '1.2.0', to: '2.0.0', steps: [50, 20], intervalMs: 1000, criteria: {} }));
    await kv.put('route.store.rooms', '{ not json');
    await admin.mirrors.set({ service: 'store.rooms', version: '1.0.0', percent: 5 });
    await nextRules(app.rules, (r) => r.mirrors.some((m) => m.service === 'store.rooms'));
    expect((await skipped).canaries).toEqual([]);
    expect(app.rules.current().routes).toEqual([ROUTE]);
    expect(appLines.filter((l) => l.msg === 'control plane: invalid rule in the bucket skipped').map((l) => l.key)).toEqual(['canary.store.booking', 'route.store.rooms']);
    // apply with prune leaves the bucket holding exactly the rules given, invalid values gone too.
    expect((await admin.apply({ routes: [ROUTE] }, { prune: true })).deleted).toEqual(['canary.store.booking', 'mirror.store.rooms', 'route.store.rooms']);
  });

  it('warns, and still writes, when a rule names a service or version no running instance announces', async () => {
    const announced = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: quietLogger() });
    apps.push(announced);
    await announced.start();
    const warner = await createAdmin({ nats: { servers: server.url } });
    try {
      expect((await warner.routes.set(ROUTE)).warnings).toEqual([
        'route rule for "store.booking": no running instance of "store.booking" has version 2.0.0 (running: 1.2.0)',
      ]);
      const applied = await warner.apply({ routes: [ROUTE], mirrors: [{ service: 'store.nothing', version: '1.0.0', percent: 5 }] });
      expect(applied.warnings).toEqual([expect.stringContaining('has version 2.0.0'), 'mirror rule for "store.nothing": no running instance of service "store.nothing" was found']);
      expect(await warner.mirrors.get('store.nothing')).toEqual({ service: 'store.nothing', version: '1.0.0', percent: 5 });
      expect(await warner.mirrors.delete('store.nothing')).toBe(true);
    } finally {
      await warner.close();
    }
  });

  it('admin.watch tells the rules in force, then each change', async () => {
    const seen: MeshRules[] = [];
    const stop = await admin.watch((rules) => seen.push(rules));
    expect(seen).toEqual([expect.objectContaining({ routes: [ROUTE] })]);
    const changed = nextRules(client.rules, (r) => r.canaries.length === 1);
    const canary = { service: 'store.booking', from: '1.2.0', to: '2.0.0', steps: [10, 100], intervalMs: 60_000, criteria: { maxErrorRatio: 0.01 } };
    await admin.canaries.set(canary);
    await changed;
    await admin.canaries.delete('store.booking');
    await nextRules(client.rules, (r) => r.canaries.length === 0);
    stop();
    expect(seen.map((r) => r.canaries.length)).toEqual([0, 1, 0]);
  });

  it('control: false leaves an app and a client without rules', async () => {
    await admin.routes.set(ROUTE);
    await nextRules(app.rules, (r) => r.routes.length === 1);
    const off = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: quietLogger(), discovery: false, control: false });
    apps.push(off);
    await off.start();
    const offClient = await createClient({ nats: { servers: server.url }, control: false });
    await offClient.close();
    expect(app.rules.current().routes).toEqual([ROUTE]);
    expect(off.rules.current()).toBe(NO_RULES);
    expect(offClient.rules.current()).toBe(NO_RULES);
  });

  it('a deleted rule leaves the running views', async () => {
    await admin.mirrors.set({ service: 'store.booking', endpoint: 'save', version: '2.0.0', percent: 50 });
    await nextRules(client.rules, (r) => r.mirrors.length === 1);
    const gone = nextRules(client.rules, (r) => r.mirrors.length === 0);
    expect(await admin.mirrors.delete('store.booking', 'save')).toBe(true);
    await gone;
    expect(await admin.mirrors.get('store.booking', 'save')).toBeUndefined();
  });
});

describe('control plane when the bucket is deleted', () => {
  it('the views drop the rules, and read a bucket created anew from its start', async () => {
    const server = await startNatsServer({ jetstream: true });
    const admin = await createAdmin({ nats: { servers: server.url }, warnings: false });
    const client = await createClient({ nats: { servers: server.url }, logger: false });
    try {
      await admin.routes.set(ROUTE);
      await nextRules(client.rules, (r) => r.routes.length === 1);
      const dropped = nextRules(client.rules, (r) => r.routes.length === 0);
      await (await client.connection.jetstreamManager()).streams.delete('KV_natsmesh_rules');
      await dropped;
      const other = { service: 'store.rooms', weights: { '1.0.0': 100 } };
      const again = nextRules(client.rules, (r) => r.routes.length === 1);
      await admin.routes.set(other);
      expect((await again).routes).toEqual([other]);
    } finally {
      await client.close();
      await admin.close();
      await server.stop();
    }
  });
});

describe('control plane without JetStream', () => {
  it('the app starts and serves, logs the control plane off once, and holds no rules', async () => {
    const server = await startNatsServer();
    const lines: Record<string, unknown>[] = [];
    const app = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: quietLogger(lines), discovery: false });
    try {
      await app.start();
      await expect(app.client.request('store.booking.save', { room: 3 })).resolves.toEqual({ id: 3 });
      expect(lines.filter((l) => String(l.msg).startsWith('control plane off'))).toEqual([expect.objectContaining({ msg: 'control plane off: no JetStream' })]);
      expect(app.rules.current()).toBe(NO_RULES);
    } finally {
      await app.stop();
      await server.stop();
    }
  });
});
