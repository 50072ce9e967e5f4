import 'reflect-metadata';
import { startNatsServer, catchMeshError, type NatsServerHandle } from '@natsmesh/testing';
import { createAdmin, createApp, createClient, Handle, NO_RULES, Service, type App, type MeshAdmin, type MeshClient, type MeshRules, type RulesView } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

@Service('store.booking', { version: '1.2.0' })
class BookingService {
  @Handle('save')
  save(input: { room: number }) {
    return { id: input.room };
  }
}

/** Resolves with the first rules the view changes to that satisfy `check`. */
function nextRules(view: RulesView, check: (rules: MeshRules) => boolean): Promise<MeshRules> {
  return new Promise((resolve) => {
    if (check(view.current())) return resolve(view.current());
    const stop = view.onChange((rules) => {
      if (!check(rules)) return;
      stop();
      resolve(rules);
    });
  });
}

const ROUTE = { service: 'store.booking', weights: { '1.2.0': 90, '2.0.0': 10 } };

describe('control plane store with JetStream', () => {
  let server: NatsServerHandle;
  let admin: MeshAdmin;
  let app: App;
  let client: MeshClient;
  const apps: App[] = [];

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    // Started before the bucket exists: both must pick it up when the admin creates it.
    app = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
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

  it('a deleted rule leaves the running views', async () => {
    await admin.mirrors.set({ service: 'store.booking', endpoint: 'save', version: '2.0.0', percent: 50 });
    await nextRules(client.rules, (r) => r.mirrors.length === 1);
    const gone = nextRules(client.rules, (r) => r.mirrors.length === 0);
    expect(await admin.mirrors.delete('store.booking', 'save')).toBe(true);
    await gone;
    expect(await admin.mirrors.get('store.booking', 'save')).toBeUndefined();
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
