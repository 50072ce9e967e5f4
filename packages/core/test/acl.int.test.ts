import 'reflect-metadata';
import { startNatsServer, catchMeshError, nextRules, type NatsServerHandle } from '@natsmesh/testing';
import {
  createAdmin,
  createApp,
  createClient,
  describeService,
  Emits,
  generateAcl,
  Handle,
  On,
  renderServerAuthorization,
  scanService,
  Service,
  type Acl,
  type App,
  type Constructor,
  type Context,
  type MeshAdmin,
  type MeshClient,
} from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { until } from './until';

const audited: string[] = [];

// What every generated user may publish to read the control plane's rules (app.rules, client.rules).
const RULES_READ_PUBLISH = ['$JS.API.CONSUMER.CREATE.KV_natsmesh_rules', '$JS.API.CONSUMER.CREATE.KV_natsmesh_rules.>', '$JS.API.INFO', '$JS.FC.KV_natsmesh_rules.>'];

@Service('acl.orders', { calls: ['acl.stock.take'] })
@Emits('orders.created')
class OrdersService {
  @Handle('place')
  async place(input: { id: string; durable?: boolean; undeclared?: boolean }, ctx: Context) {
    await ctx.request('acl.stock.take', { id: input.id });
    if (input.undeclared) ctx.emit('orders.secret', { id: input.id });
    else if (input.durable) await ctx.emit('orders.created', { id: input.id }, { durable: true });
    else ctx.emit('orders.created', { id: input.id });
    return { placed: input.id };
  }
}

@Service('acl.stock', { allow: ['acl.orders'] })
class StockService {
  @Handle('take')
  take(input: { id: string }) {
    return { taken: input.id };
  }
}

@Service('acl.audit')
class AuditService {
  @On('orders.created', { durable: 'acl-audit' })
  onCreated(evt: { id: string }) {
    audited.push(evt.id);
  }
}

const SERVICES: Constructor[] = [OrdersService, StockService, AuditService];

describe('generated permissions with JetStream durables and events', () => {
  let server: NatsServerHandle;
  let acl: Acl;
  const lines: Record<string, unknown>[] = [];
  const apps: App[] = [];
  let web: MeshClient;
  let admin: MeshAdmin | undefined;

  beforeAll(async () => {
    acl = generateAcl(SERVICES.map((c) => describeService(scanService(c))), { callers: [{ name: 'web', calls: ['acl.orders.place'] }] });
    // An operator's user beside the generated ones, for the admin that writes the rules.
    const config = renderServerAuthorization(acl).replace('  users = [\n', '  users = [\n    { user: "operator", password: "operator" }\n');
    server = await startNatsServer({ jetstream: true, config });
    for (const service of SERVICES) {
      const name = scanService(service).name;
      const app = await createApp({
        services: [service],
        nats: { servers: server.url, nkeySeed: acl.seeds[name] },
        logger: quietLogger(lines),
      });
      apps.push(app);
    }
    // The consumer first: its stream must exist before a durable emit can be stored.
    await apps[2].start();
    await apps[1].start();
    await apps[0].start();
    web = await createClient({ nats: { servers: server.url, nkeySeed: acl.seeds.web, inboxPrefix: '_INBOX_web' } });
  });

  afterAll(async () => {
    await admin?.close();
    await web?.close();
    for (const app of apps) await app.stop();
    await server?.stop();
  });

  it('a durable consumer sets up its stream and consumer and gets events under its own user', async () => {
    await expect(web.request('acl.orders.place', { id: 'o-1', durable: true })).resolves.toEqual({ placed: 'o-1' });
    await expect(web.request('acl.orders.place', { id: 'o-2' })).resolves.toEqual({ placed: 'o-2' });
    await until(() => audited.includes('o-1') && audited.includes('o-2'), 'both events audited');
    expect(lines.filter((l) => String(l.msg).startsWith('NATS refused'))).toEqual([]);
  });

  it('an undeclared emit is refused by the server and the log names the missing emits entry', async () => {
    await web.request('acl.orders.place', { id: 'o-3', undeclared: true });
    await until(() => lines.some((l) => l.subject === 'orders.secret'), 'the log line');
    expect(lines.find((l) => l.subject === 'orders.secret')).toMatchObject({ missing: 'emits', services: ['acl.orders'] });
    expect(String(lines.find((l) => l.subject === 'orders.secret')!.msg)).toContain("emits: ['orders.secret']");
    // An event has no callee whose allow could matter.
    expect(String(lines.find((l) => l.subject === 'orders.secret')!.msg)).not.toContain('allow');
  });

  it('a client without its user\'s inbox prefix gets FORBIDDEN saying so, not a timeout', async () => {
    const lost = await createClient({ nats: { servers: server.url, nkeySeed: acl.seeds.web } });
    try {
      const started = Date.now();
      const err = await catchMeshError(lost.request('acl.orders.place', { id: 'o-4' }, { timeout: 3000 }));
      expect(err).toMatchObject({ code: 'FORBIDDEN', status: 403 });
      expect(err.message).toMatch(/inbox/);
      expect(err.message).toContain('inboxPrefix');
      expect(Date.now() - started).toBeLessThan(1000);
      // Later calls fail the same way at once.
      await expect(lost.request('acl.orders.place', { id: 'o-5' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await lost.close();
    }
  });

  it('every service and the caller read the control plane rules (and may not write them)', async () => {
    // Closed in afterAll: a view that never sees the rule must not leave the admin's connection open.
    admin = await createAdmin({ nats: { servers: server.url, user: 'operator', pass: 'operator' }, warnings: false });
    const route = { service: 'acl.stock', weights: { '0.0.0': 100 } };
    const views = [...apps.map((a) => a.rules), web.rules].map((view) => nextRules(view, (rules) => rules.routes.length > 0));
    // The bucket did not exist when they started: each picks it up when the admin creates it.
    await admin.routes.set(route);
    for (const rules of await Promise.all(views)) expect(rules.routes).toEqual([route]);
    const kv = await apps[1].client.connection.jetstream().views.kv('natsmesh_rules', { bindOnly: true });
    await expect(kv.put('route.acl.stock', JSON.stringify({ service: 'acl.stock', weights: { '9.9.9': 100 } }))).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
    expect(await admin.routes.get('acl.stock')).toEqual(route);
    expect(lines.filter((l) => String(l.msg).startsWith('control plane off'))).toEqual([]);
  });

  it('a service the callee does not allow gets FORBIDDEN, not a timeout', async () => {
    const err = await catchMeshError(apps[2].client.request('acl.stock.take', { id: 'x' }, { timeout: 100 }));
    expect(err).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });
});

@Service('acl.news')
@Emits('acl.>')
@Emits('_INBOX_acl_orders.>')
class NewsService {
  @On('acl.stock.*')
  spy() {}

  @On('acl.news.*.event')
  own() {}
}

@Service('acl.sealer')
class SealerService {
  // Names the control plane's own stream: create/update on it would let this user seal or rewrite the rules bucket.
  @On('acl.sealer.>', { durable: 'sealer', stream: 'KV_natsmesh_rules' })
  seal() {}

  @On('acl.sealer.own', { durable: 'own' })
  own() {}
}

describe('generateAcl refuses declarations that reach into other services (found by the security trial)', () => {
  it('grants stream create and update only on the streams natsmesh derives (NATSMESH_…), never on a stream @On names (found by the accounts trial)', () => {
    const sealer = generateAcl([describeService(scanService(SealerService))]).users[0];
    expect(sealer.publish.filter((p) => /STREAM\.(CREATE|UPDATE|DELETE|PURGE)/.test(p))).toEqual(['$JS.API.STREAM.CREATE.NATSMESH_acl', '$JS.API.STREAM.UPDATE.NATSMESH_acl']);
    expect(sealer.publish).toContain('$JS.API.STREAM.INFO.KV_natsmesh_rules');
  });

  const acl = () =>
    generateAcl([...SERVICES, NewsService].map((c) => describeService(scanService(c))), { callers: [{ name: 'evil', calls: ['$JS.API.>', 'acl.orders.place'] }] });
  const userOf = (name: string) => acl().users.find((u) => u.name === name)!;

  it('grants no emits that cover another service\'s endpoint or an inbox', () => {
    expect(userOf('acl.news').publish.filter((p) => p.startsWith('acl.') || p.startsWith('_INBOX'))).toEqual([]);
    expect(acl().problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'overreach', caller: 'acl.news', call: 'acl.>', message: expect.stringContaining('covers the endpoint acl.orders.place of acl.orders') }),
        expect.objectContaining({ kind: 'overreach', caller: 'acl.news', call: '_INBOX_acl_orders.>' }),
      ]),
    );
  });

  it("grants no @On pattern that would receive another service's requests, and keeps the service's own", () => {
    expect(userOf('acl.news').subscribe).not.toContain('acl.stock.*');
    expect(userOf('acl.news').subscribe).toContain('acl.news.*.event');
    expect(acl().problems).toContainEqual(expect.objectContaining({ kind: 'overreach', caller: 'acl.news', call: 'acl.stock.*', message: expect.stringContaining('Narrow the @On pattern') }));
  });

  it("grants a caller no call into NATS's own subjects", () => {
    expect(userOf('evil').publish).toEqual([...RULES_READ_PUBLISH, 'acl.orders.place']);
    expect(acl().problems).toContainEqual(expect.objectContaining({ kind: 'overreach', caller: 'evil', call: '$JS.API.>' }));
  });
});

describe('generateAcl output', () => {
  const descriptions = () => SERVICES.map((c) => describeService(scanService(c)));

  it('is the same for the same model and seeds, whatever the order of the services', () => {
    const first = generateAcl(descriptions(), { callers: [{ name: 'web', calls: ['acl.orders.place'] }] });
    const again = generateAcl([...descriptions()].reverse(), { callers: [{ name: 'web', calls: ['acl.orders.place'] }], seeds: first.seeds });
    expect(renderServerAuthorization(again)).toBe(renderServerAuthorization(first));
  });

  it('gives a caller role nothing but its granted requests, its own inbox and reading the rules', () => {
    const acl = generateAcl(descriptions(), { callers: [{ name: 'web', calls: ['acl.orders.place', 'acl.stock.take'] }] });
    expect(acl.users.find((u) => u.name === 'web')).toMatchObject({
      kind: 'caller',
      inboxPrefix: '_INBOX_web',
      publish: [...RULES_READ_PUBLISH, 'acl.orders.place'],
      subscribe: ['$JS.EVENT.ADVISORY.STREAM.CREATED.KV_natsmesh_rules', '$JS.EVENT.ADVISORY.STREAM.DELETED.KV_natsmesh_rules', '_INBOX_web.>'],
    });
    expect(acl.problems).toEqual([expect.objectContaining({ kind: 'not-allowed', caller: 'web', subject: 'acl.stock.take' })]);
  });

  it('lets a caller role that was granted nothing publish only what reading the rules takes', () => {
    const acl = generateAcl(descriptions(), { callers: [{ name: 'nobody', calls: ['acl.stock.take'] }] });
    expect(acl.users.find((u) => u.name === 'nobody')!.publish).toEqual(RULES_READ_PUBLISH);
    // An empty allow list would be read by nats-server as everything: it is rendered as deny all.
    const empty = { ...acl, users: acl.users.map((u) => (u.name === 'nobody' ? { ...u, publish: [] } : u)) };
    expect(renderServerAuthorization(empty)).toContain('publish: { deny: [">"] }');
  });

  it('refuses two users whose inbox prefixes would be the same (one could read the other\'s replies)', () => {
    expect(() => generateAcl(descriptions(), { callers: [{ name: 'acl_stock', calls: ['acl.orders.place'] }] })).toThrow(/"acl\.stock" and "acl_stock" would share the inbox prefix _INBOX_acl_stock/);
  });

  it('refuses two users with the same key (a copied seed file)', () => {
    const first = generateAcl(descriptions(), { callers: [{ name: 'web', calls: ['acl.orders.place'] }] });
    expect(() => generateAcl(descriptions(), { callers: [{ name: 'web', calls: ['acl.orders.place'] }], seeds: { ...first.seeds, web: first.seeds['acl.stock'] } })).toThrow(
      /"acl\.stock" and "web" have the same nkey/,
    );
  });

  it('refuses two users of one name', () => {
    expect(() => generateAcl(descriptions(), { callers: [{ name: 'acl.stock', calls: ['acl.orders.place'] }] })).toThrow(/two services or caller roles named "acl.stock"/);
  });
});
