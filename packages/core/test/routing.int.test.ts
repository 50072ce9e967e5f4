import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  createAdmin,
  createApp,
  createClient,
  gather,
  Handle,
  MIRRORS_SUBJECT,
  Service,
  type App,
  type Context,
  type MeshAdmin,
  type MeshClient,
  type MeshRules,
  type Middleware,
  type MirrorReport,
} from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { sample } from './prom-text';
import { until } from './until';

interface Reply {
  version: string;
  instance: string;
}

/** Requests each instance received, by instance id; mirrored copies apart. */
const received = new Map<string, number>();
const mirrored = new Map<string, number>();

function count(ctx: Context): void {
  const into = ctx.headers?.get('Mesh-Mirror') === '1' ? mirrored : received;
  into.set(ctx.instanceId, (into.get(ctx.instanceId) ?? 0) + 1);
}

@Service('rt.echo', { version: '1.0.0' })
class EchoV1 {
  @Handle('who')
  who(_input: unknown, ctx: Context): Reply {
    count(ctx);
    return { version: '1.0.0', instance: ctx.instanceId };
  }
}

/** How long 2.0.0 takes to answer a mirrored copy, ms. */
let mirrorDelay = 0;

@Service('rt.echo', { version: '2.0.0' })
class EchoV2 {
  @Handle('who')
  async who(_input: unknown, ctx: Context): Promise<Reply> {
    count(ctx);
    if (mirrorDelay > 0 && ctx.headers?.get('Mesh-Mirror') === '1') await new Promise((r) => setTimeout(r, mirrorDelay));
    return { version: '2.0.0', instance: ctx.instanceId };
  }
}

/** A service that calls rt.echo from its handler: routing in a running app's ctx.request. */
@Service('rt.front', { version: '1.0.0' })
class Front {
  @Handle('ask')
  ask(_input: unknown, ctx: Context): Promise<Reply> {
    return ctx.request<Reply>('rt.echo.who', {});
  }
}

const V1_INSTANCES = ['v1-a', 'v1-b', 'v1-c'];
const V2_INSTANCES = ['v2-a', 'v2-b'];

/** A `call` middleware that changes nothing: a client with one takes the call pipeline (RouteMiddleware and the policies). */
const passThrough: Middleware = { call: (_ctx, next) => next() };

// A client with nothing in its call pipeline applies the rules without one; with middleware, through RouteMiddleware.
describe.each([
  ['a plain client', false],
  ['a client with call middleware', true],
])('traffic shifting and mirroring in natsmesh callers (%s)', (_kind, pipelined) => {
  let server: NatsServerHandle;
  let admin: MeshAdmin;
  const apps: App[] = [];
  const clients: MeshClient[] = [];

  const boot = async (service: typeof EchoV1 | typeof EchoV2 | typeof Front, id: string, metrics = false) => {
    const app = await createApp({
      services: [service],
      nats: { servers: server.url },
      instance: { id },
      discovery: { heartbeatInterval: 200 },
      logger: quietLogger(),
      middleware: pipelined ? [passThrough] : [],
      ...(metrics ? { metrics: { port: 0 } } : {}),
    });
    await app.start();
    apps.push(app);
    return app;
  };

  // Until the client's registry lists every echo instance (routing needs the versions from discovery).
  const seesAll = async (client: MeshClient) => {
    const registry = await client.registry();
    await until(() => registry.instances('rt.echo').length === V1_INSTANCES.length + V2_INSTANCES.length, 'every rt.echo instance in the registry');
  };

  // `total` calls, `concurrency` at a time; replies by version.
  const spread = async (call: () => Promise<Reply>, total: number, concurrency = 64) => {
    const versions = new Map<string, number>();
    let sent = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < total) {
          sent++;
          const r = await call();
          versions.set(r.version, (versions.get(r.version) ?? 0) + 1);
        }
      }),
    );
    return versions;
  };

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    admin = await createAdmin({ nats: { servers: server.url }, logger: quietLogger() });
    for (const id of V1_INSTANCES) await boot(EchoV1, id);
    for (const id of V2_INSTANCES) await boot(EchoV2, id);
  });

  beforeEach(() => {
    received.clear();
    mirrored.clear();
    mirrorDelay = 0;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await admin.apply({ routes: [], mirrors: [], faults: [], canaries: [] }, { prune: true });
  });

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await admin?.close();
    await server?.stop();
  });

  // A client made after the rules were written: it reads them (and gathers the mesh) before it resolves.
  const newClient = async (name?: string, metrics = false) => {
    const client = await createClient({ nats: { servers: server.url }, name, metrics, logger: quietLogger(), middleware: pipelined ? [passThrough] : [] });
    clients.push(client);
    return client;
  };

  // Resolves on the first change of `client.rules` that `holds`.
  const ruleChange = (client: MeshClient, holds: (rules: MeshRules) => boolean) =>
    new Promise<void>((resolve) => {
      const stop = client.rules.onChange((rules) => {
        if (!holds(rules)) return;
        stop();
        resolve();
      });
    });

  it('sends 10% of 10,000 calls to 2.0.0 under a 90/10 weight (within 1.5 points), spread over its instances', async () => {
    await admin.routes.set({ service: 'rt.echo', weights: { '1.0.0': 90, '2.0.0': 10 } });
    const client = await newClient();
    await seesAll(client);
    const versions = await spread(() => client.request<Reply>('rt.echo.who', {}), 10_000);
    const share = (versions.get('2.0.0') ?? 0) / 10_000;
    expect(share).toBeGreaterThan(0.085);
    expect(share).toBeLessThan(0.115);
    expect((versions.get('1.0.0') ?? 0) + (versions.get('2.0.0') ?? 0)).toBe(10_000);
    // Routed calls go to instances, on their instance subjects: every instance of each version took a share.
    for (const id of [...V1_INSTANCES, ...V2_INSTANCES]) expect(received.get(id) ?? 0).toBeGreaterThan(0);
  });

  it('sends every call whose header matches to the named version, and the others by weight', async () => {
    await admin.routes.set({ service: 'rt.echo', match: [{ headers: { 'x-canary': '1' }, version: '2.0.0' }], weights: { '1.0.0': 100 } });
    const client = await newClient();
    await seesAll(client);
    const canary = await spread(() => client.request<Reply>('rt.echo.who', {}, { headers: { 'X-Canary': '1' } }), 500);
    expect(canary).toEqual(new Map([['2.0.0', 500]]));
    const others = await spread(() => client.request<Reply>('rt.echo.who', {}, { headers: { 'x-canary': '0' } }), 500);
    expect(others).toEqual(new Map([['1.0.0', 500]]));
  });

  it('takes a weight change in a running app: its handlers call the version the new rule names', async () => {
    await admin.routes.set({ service: 'rt.echo', weights: { '1.0.0': 100 } });
    const front = await boot(Front, 'front-1');
    await seesAll(front.client);
    const caller = await newClient();
    const ask = () => caller.request<Reply>('rt.front.ask', {});
    expect(await spread(ask, 200, 8)).toEqual(new Map([['1.0.0', 200]]));
    const changed = ruleChange(front.client, (rules) => rules.routes.some((r) => r.weights?.['2.0.0'] === 100));
    await admin.routes.set({ service: 'rt.echo', weights: { '2.0.0': 100 } });
    await changed;
    expect(await spread(ask, 200, 8)).toEqual(new Map([['2.0.0', 200]]));
  });

  it('matches on the calling service: a handler of rt.front calls 2.0.0 when the rule names rt.front as caller', async () => {
    await admin.routes.set({ service: 'rt.echo', match: [{ caller: 'rt.front', version: '2.0.0' }], weights: { '1.0.0': 100 } });
    // Both start after the rule was written and apply it from their first call: they read it, and gathered the mesh, before serving.
    await boot(Front, 'front-2');
    const caller = await newClient('web');
    expect(await spread(() => caller.request<Reply>('rt.front.ask', {}), 100, 8)).toEqual(new Map([['2.0.0', 100]]));
    expect(await spread(() => caller.request<Reply>('rt.echo.who', {}), 100, 8)).toEqual(new Map([['1.0.0', 100]]));
  });

  it('mirrors 50%: the caller gets only primary replies, the mirror version receives about half the calls, counted in metrics', async () => {
    await admin.routes.set({ service: 'rt.echo', weights: { '1.0.0': 100 } });
    await admin.mirrors.set({ service: 'rt.echo', endpoint: 'who', version: '2.0.0', percent: 50, compare: true });
    const client = await newClient(undefined, true);
    await seesAll(client);
    const versions = await spread(() => client.request<Reply>('rt.echo.who', {}), 2000);
    expect(versions).toEqual(new Map([['1.0.0', 2000]]));
    const copies = () => V2_INSTANCES.reduce((n, id) => n + (mirrored.get(id) ?? 0), 0);
    // Copies are not awaited: some may still be on their way when the last primary reply is in.
    const text = async () => client.metrics!.metrics();
    await until(() => copies() > 0, 'the first mirrored copy');
    let counted = 0;
    for (let i = 0; i < 500 && counted !== copies(); i++) {
      counted = sample(await text(), 'natsmesh_client_mirror_requests_total', { subject: 'rt.echo.who', version: '2.0.0', outcome: 'DIFFERENT' }) ?? 0;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(copies()).toBeGreaterThan(900);
    expect(copies()).toBeLessThan(1100);
    // Real calls never reached the mirror version; v1 instances got no copies.
    for (const id of V2_INSTANCES) expect(received.get(id) ?? 0).toBe(0);
    for (const id of V1_INSTANCES) expect(mirrored.get(id) ?? 0).toBe(0);
    // Replies of 2.0.0 say another version than the primary's: compare counts them as different.
    expect(counted).toBe(copies());
  });

  it('sends calls routed to a version no instance runs where they would go without the rule, and counts them', async () => {
    await admin.routes.set({ service: 'rt.echo', weights: { '3.0.0': 100 } });
    const client = await newClient(undefined, true);
    await seesAll(client);
    const versions = await spread(() => client.request<Reply>('rt.echo.who', {}), 200, 8);
    expect((versions.get('1.0.0') ?? 0) + (versions.get('2.0.0') ?? 0)).toBe(200);
    const text = await client.metrics!.metrics();
    expect(sample(text, 'natsmesh_client_route_fallbacks_total', { subject: 'rt.echo.who', version: '3.0.0' })).toBe(200);
  });

  it('never makes the caller wait for the mirror: copies slower than the timeout fail alone, counted as TIMEOUT', async () => {
    mirrorDelay = 1500;
    await admin.routes.set({ service: 'rt.echo', weights: { '1.0.0': 100 } });
    await admin.mirrors.set({ service: 'rt.echo', version: '2.0.0', percent: 100 });
    const client = await newClient('web');
    await seesAll(client);
    const versions = await spread(() => client.request<Reply>('rt.echo.who', {}, { timeout: 1000 }), 40, 8);
    expect(versions).toEqual(new Map([['1.0.0', 40]]));
    // Every client with a mirror rule answers the scatter-gather with its figures.
    const outcomes = async () => {
      const reports = await gather<MirrorReport>(client.connection, MIRRORS_SUBJECT, { maxWait: 500 });
      return reports.find((r) => r.client === 'web')?.mirrors.find((m) => m.subject === 'rt.echo.who')?.outcomes ?? {};
    };
    let seen: Record<string, number> = {};
    for (let i = 0; i < 20 && (seen.TIMEOUT ?? 0) < 40; i++) seen = await outcomes();
    expect(seen).toEqual({ TIMEOUT: 40 });
  });

  it('lets a client-side fault scoped to a version hit only the calls routed to that version', async () => {
    await admin.routes.set({ service: 'rt.echo', match: [{ headers: { 'x-canary': '1' }, version: '2.0.0' }], weights: { '1.0.0': 100 } });
    await admin.faults.set({ name: 'canary-down', service: 'rt.echo', version: '2.0.0', where: 'client', abort: { code: 'UNAVAILABLE', percent: 100 }, expiresAt: Date.now() + 60_000 });
    const client = await newClient();
    await seesAll(client);
    const canary = await Promise.allSettled(Array.from({ length: 20 }, () => client.request('rt.echo.who', {}, { headers: { 'x-canary': '1' } })));
    expect(canary.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK'))).toEqual(Array(20).fill('UNAVAILABLE'));
    expect(await spread(() => client.request<Reply>('rt.echo.who', {}), 20, 4)).toEqual(new Map([['1.0.0', 20]]));
    expect(V2_INSTANCES.reduce((n, id) => n + (received.get(id) ?? 0), 0)).toBe(0);
  });
});
