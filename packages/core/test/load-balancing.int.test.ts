import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, MeshError, Service, type App, type CircuitEvent, type Context, type MeshClient, type Strategy } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const delays = new Map<string, number>();
const sick = new Set<string>();

@Service('lb.work')
class WorkService {
  @Handle('do')
  async do(_input: unknown, ctx: Context) {
    if (sick.has(ctx.instanceId)) throw new MeshError('INTERNAL', 'sick instance');
    const ms = delays.get(ctx.instanceId) ?? 0;
    if (ms > 0) await sleep(ms);
    return ctx.instanceId;
  }
}

describe('load balancing', () => {
  let server: NatsServerHandle;
  const apps: App[] = [];
  const clients: MeshClient[] = [];

  const startInstance = async (id: string, zone?: string) => {
    const app = await createApp({
      services: [WorkService],
      nats: { servers: server.url },
      instance: { id, zone },
      discovery: { heartbeatInterval: 100 },
      logger: quietLogger(),
    });
    await app.start();
    apps.push(app);
    return app;
  };

  const newClient = async (zone?: string) => {
    const client = await createClient({ nats: { servers: server.url }, zone });
    clients.push(client);
    return client;
  };

  const waitForCount = async (client: MeshClient, n: number) => {
    const registry = await client.registry();
    for (let i = 0; i < 200 && registry.instances('lb.work').length !== n; i++) await sleep(10);
    expect(registry.instances('lb.work')).toHaveLength(n);
  };

  // `total` requests, `concurrency` at a time; counts replies per instance.
  const spread = async (client: MeshClient, strategy: Strategy, total: number, concurrency: number) => {
    const counts = new Map<string, number>();
    let sent = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < total) {
          sent++;
          const id = await client.request<string>('lb.work.do', {}, { strategy });
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }),
    );
    return counts;
  };

  beforeAll(async () => {
    server = await startNatsServer();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    delays.clear();
    sick.clear();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('announces each instance-addressed subject in discovery and answers on it', async () => {
    await startInstance('direct-1');
    const client = await newClient();
    await waitForCount(client, 1);
    const [state] = (await client.registry()).instances('lb.work');
    expect(state.info.direct).toBe('$NATSMESH.I.direct-1');
    await expect(client.request('$NATSMESH.I.direct-1.lb.work.do', {})).resolves.toBe('direct-1');
  });

  it('sends clearly fewer requests to a slow instance under least-request and latency than under queue', async () => {
    await startInstance('fast');
    await startInstance('slow');
    delays.set('fast', 2).set('slow', 40);
    const client = await newClient();
    await waitForCount(client, 2);
    const share = (counts: Map<string, number>) => (counts.get('slow') ?? 0) / 200;
    const queue = share(await spread(client, 'queue', 200, 8));
    const leastRequest = share(await spread(client, 'least-request', 200, 8));
    const latency = share(await spread(client, 'latency', 200, 8));
    expect(queue).toBeGreaterThan(0.3);
    expect(leastRequest).toBeLessThan(0.2);
    expect(latency).toBeLessThan(0.2);
    expect(leastRequest).toBeLessThan(queue / 2);
    expect(latency).toBeLessThan(queue / 2);
  });

  it('round-robin takes each instance in turn', async () => {
    await startInstance('rr-1');
    await startInstance('rr-2');
    const client = await newClient();
    await waitForCount(client, 2);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await client.request<string>('lb.work.do', {}, { strategy: 'round-robin' }));
    expect(ids.filter((id) => id === 'rr-1')).toHaveLength(3);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
  });

  it('consistent-hash keeps a key on one instance and moves about a quarter of 1000 keys when a fourth joins', async () => {
    for (const id of ['ch-a', 'ch-b', 'ch-c']) await startInstance(id);
    const client = await newClient();
    await waitForCount(client, 3);
    const work = client.service<{ do(input: { user: string }): string }>('lb.work', { strategy: 'consistent-hash', hashKey: 'user' });
    const keys = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const route = async () => {
      const out = new Map<string, string>();
      for (const user of keys) out.set(user, await work.do({ user }));
      return out;
    };
    const before = await route();
    expect(await route()).toEqual(before);
    for (const id of ['ch-a', 'ch-b', 'ch-c']) expect([...before.values()].filter((v) => v === id).length).toBeGreaterThan(200);

    await startInstance('ch-d');
    await waitForCount(client, 4);
    const after = await route();
    const moved = keys.filter((k) => before.get(k) !== after.get(k));
    expect(moved.length).toBeGreaterThan(150);
    expect(moved.length).toBeLessThan(350);
    expect(new Set(moved.map((k) => after.get(k)))).toEqual(new Set(['ch-d']));
  });

  it('consistent-hash bounds the load: a hot key spills over to other instances', async () => {
    for (const id of ['hot-a', 'hot-b', 'hot-c']) await startInstance(id);
    delays.set('hot-a', 30).set('hot-b', 30).set('hot-c', 30);
    const client = await newClient();
    await waitForCount(client, 3);
    const ids = await Promise.all(Array.from({ length: 30 }, () => client.request<string>('lb.work.do', {}, { strategy: 'consistent-hash', key: 'hot' })));
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(3);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(13);
  });

  it('keeps a circuit per instance: a sick instance is passed over while the others serve', async () => {
    await startInstance('well-1');
    await startInstance('sick-1');
    sick.add('sick-1');
    const client = await createClient({ nats: { servers: server.url }, resilience: { breaker: { consecutiveFailures: 2, halfOpenAfter: 60_000 } } });
    clients.push(client);
    const events: string[] = [];
    client.on('circuit', (e: CircuitEvent) => events.push(`${e.subject} ${e.state}`));
    await waitForCount(client, 2);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(await client.request<string>('lb.work.do', {}, { strategy: 'round-robin' }).catch((e: MeshError) => e.code));
    }
    expect(events).toEqual(['$NATSMESH.I.sick-1.lb.work.do open']);
    expect(client.circuit('$NATSMESH.I.well-1.lb.work.do')).toBe('closed');
    expect(outcomes.filter((o) => o === 'INTERNAL')).toHaveLength(2);
    expect(outcomes.slice(-10)).toEqual(Array(10).fill('well-1'));
  });

  it('zone keeps traffic in the caller’s zone while it has instances, and fails over when they go', async () => {
    const local = await startInstance('zone-a1', 'a');
    await startInstance('zone-b1', 'b');
    const client = await newClient('a');
    await waitForCount(client, 2);
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add(await client.request<string>('lb.work.do', {}, { strategy: 'zone' }));
    expect([...ids]).toEqual(['zone-a1']);

    await local.stop();
    apps.splice(apps.indexOf(local), 1);
    const after = new Set<string>();
    for (let i = 0; i < 30; i++) after.add(await client.request<string>('lb.work.do', {}, { strategy: 'zone' }));
    expect([...after]).toEqual(['zone-b1']);
  });
});
