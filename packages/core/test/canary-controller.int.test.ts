import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  CANARY_EVENT_PREFIX,
  canaryStateKey,
  createAdmin,
  createApp,
  createClient,
  readCanaryStatus,
  RULES_BUCKET,
  startCanaryController,
  type App,
  type CanaryController,
  type CanaryRule,
  type CanaryState,
  type Constructor,
  type MeshAdmin,
  type MeshClient,
} from '@natsmesh/core';
import { connect, JSONCodec, KvWatchInclude, type NatsConnection, type QueuedIterator, type KvEntry } from 'nats';
import { FailingShopV2, SHOP, ShopTraffic, ShopV1, ShopV2 } from './canary-shop';
import { quietLogger } from './quiet-logger';
import { until } from './until';

const INSTANCES = { '1.0.0': ['v1-a', 'v1-b'], '2.0.0': ['v2-a', 'v2-b'] };
const state = JSONCodec<CanaryState>();

/**
 * Two instances of 1.0.0 and two of the given 2.0.0 on their own JetStream server, traffic from a
 * plain natsmesh client (it routes by the route weights in force), and every canary event and stored state.
 */
function shopMesh(v2: Constructor) {
  const m = {
    events: [] as CanaryState[],
    stored: [] as CanaryState[],
    controllers: [] as CanaryController[],
  } as {
    server: NatsServerHandle;
    nc: NatsConnection;
    admin: MeshAdmin;
    client: MeshClient;
    traffic: ShopTraffic;
    apps: App[];
    events: CanaryState[];
    stored: CanaryState[];
    controllers: CanaryController[];
    watch: QueuedIterator<KvEntry>;
  };
  beforeAll(async () => {
    m.server = await startNatsServer({ jetstream: true });
    m.apps = [];
    for (const [version, ids] of Object.entries(INSTANCES)) {
      for (const instance of ids) {
        const app = await createApp({ services: [version === '1.0.0' ? ShopV1 : v2], nats: { servers: m.server.url }, instance, logger: quietLogger() });
        await app.start();
        m.apps.push(app);
      }
    }
    m.nc = await connect({ servers: m.server.url });
    m.nc.subscribe(`${CANARY_EVENT_PREFIX}.${SHOP}`, { callback: (_, msg) => m.events.push(state.decode(msg.data)) });
    m.admin = await createAdmin({ nats: { servers: m.server.url }, warnings: false });
    await m.admin.routes.set({ service: SHOP, weights: { '1.0.0': 100 } });
    const kv = await m.nc.jetstream().views.kv(RULES_BUCKET, { bindOnly: true });
    m.watch = await kv.watch({ key: canaryStateKey(SHOP), include: KvWatchInclude.UpdatesOnly });
    void (async () => {
      for await (const e of m.watch) if (e.operation === 'PUT') m.stored.push(state.decode(e.value));
    })();
    m.client = await createClient({ nats: { servers: m.server.url }, logger: false });
    // Routing picks among the instances the client's registry knows: all of them, before traffic starts.
    const registry = await m.client.registry();
    await until(() => registry.instances(SHOP).length === 4, 'every instance in the client\'s registry');
    m.traffic = new ShopTraffic(m.client);
  });
  afterAll(async () => {
    await m.traffic?.stop();
    for (const c of m.controllers) await c.stop();
    m.watch?.stop();
    await m.client?.close();
    await m.admin?.close();
    await m.nc?.close();
    for (const app of m.apps ?? []) await app.stop();
    await m.server?.stop();
  });
  return m;
}

const finished = (s: CanaryState) => s.phase === 'succeeded' || s.phase === 'rolled-back';

function rollout(criteria: CanaryRule['criteria'], steps = [5, 25, 50, 100]): CanaryRule {
  return { service: SHOP, from: '1.0.0', to: '2.0.0', steps, intervalMs: 300, criteria };
}

describe('canary controller: a healthy new version', () => {
  const m = shopMesh(ShopV2);

  it('reaches 100% step by step and completes; each decision is published and stored', async () => {
    await m.admin.canaries.set(rollout({ maxErrorRatio: 0.05, maxP99Ratio: 5, minRequests: 5 }));
    m.controllers.push(await startCanaryController({ nats: { servers: m.server.url }, lockTtlMs: 1000, logger: false }));
    await until(() => m.events.some(finished), 'the rollout to finish', 20_000);

    const last = m.events[m.events.length - 1]!;
    expect(last).toMatchObject({ service: SHOP, from: '1.0.0', to: '2.0.0', phase: 'succeeded', weight: 100 });
    // Pauses (too few requests in an interval) may come between the steps, never a step back.
    expect(m.events.filter((e) => e.phase !== 'paused').map((e) => [e.phase, e.weight])).toEqual([
      ['progressing', 5],
      ['progressing', 25],
      ['progressing', 50],
      ['progressing', 100],
      ['succeeded', 100],
    ]);
    expect((await m.admin.routes.get(SHOP))?.weights).toEqual({ '2.0.0': 100 });
    await until(() => m.stored.length === m.events.length, 'every decision to be stored');
    expect(m.stored).toEqual(m.events);

    const [status] = await readCanaryStatus({ nats: m.nc, windowMs: 300 });
    expect(status).toMatchObject({ service: SHOP, rule: { to: '2.0.0' }, state: last });
    expect(status!.figures.map((f) => f.version)).toEqual(['1.0.0', '2.0.0']);
    // The caller follows the weights: 2.0.0 answers every call now.
    await until(() => m.client.rules.current().routes[0]?.weights?.['1.0.0'] === undefined, 'the client to see the last weights');
    const mark = m.traffic.mark();
    await until(() => (m.traffic.since(mark)['2.0.0'] ?? 0) >= 500, '500 calls answered by 2.0.0');
    expect(m.traffic.since(mark)).toEqual({ '2.0.0': expect.any(Number) });
  });

  it('runs blue/green as the one-step case, as a new rollout when the rule names other versions', async () => {
    const done = m.events.length;
    await m.admin.canaries.set({ service: SHOP, from: '2.0.0', to: '1.0.0', steps: [100], intervalMs: 300, criteria: { maxErrorRatio: 0.05, minRequests: 5 } });
    await until(() => m.events.slice(done).some(finished), 'the blue/green switch to finish', 20_000);
    expect(m.events.slice(done).map((e) => [e.from, e.to, e.phase, e.weight])).toEqual([
      ['2.0.0', '1.0.0', 'progressing', 100],
      ['2.0.0', '1.0.0', 'succeeded', 100],
    ]);
    expect((await m.admin.routes.get(SHOP))?.weights).toEqual({ '1.0.0': 100 });
  });

  it('stops a rollout whose rule is deleted, where it stands, and says so', async () => {
    const done = m.events.length;
    await m.admin.canaries.set(rollout({ maxErrorRatio: 0.05, minRequests: 5 }, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]));
    await until(() => m.events.slice(done).some((e) => e.weight >= 20), 'the rollout to reach 20%', 20_000);
    await m.admin.canaries.delete(SHOP);
    await until(() => m.events.slice(done).some((e) => /canary rule deleted/.test(e.reason)), 'the controller to stop the rollout');
    const stopped = m.events[m.events.length - 1]!;
    expect(stopped).toMatchObject({ from: '1.0.0', to: '2.0.0', phase: 'paused', reason: expect.stringMatching(/rollout stopped at \d+% to 2.0.0; the controller no longer changes the route weights/) });
    expect((await m.admin.routes.get(SHOP))?.weights).toEqual({ '1.0.0': 100 - stopped.weight, '2.0.0': stopped.weight });
    expect(m.controllers[0]!.driving()).toEqual([]);
  });
});

describe('canary controller: a new version failing 30% of calls', () => {
  const m = shopMesh(FailingShopV2);

  it('rolls back to 0% within two intervals', async () => {
    await m.admin.canaries.set(rollout({ maxErrorRatio: 0.05, minRequests: 5 }));
    m.controllers.push(await startCanaryController({ nats: { servers: m.server.url }, lockTtlMs: 1000, logger: false }));
    await until(() => m.events.some(finished), 'the rollout to finish', 20_000);

    const [started, ...judged] = m.events;
    expect(started).toMatchObject({ phase: 'progressing', step: 0, weight: 5 });
    const back = judged.findIndex(finished);
    expect(back).toBeLessThanOrEqual(1);
    expect(judged[back]).toMatchObject({ phase: 'rolled-back', weight: 0, reason: expect.stringMatching(/error ratio 0\.\d+ of 2\.0\.0 .* above maxErrorRatio 0\.05/) });
    expect((await m.admin.routes.get(SHOP))?.weights).toEqual({ '1.0.0': 100 });
    await until(() => m.stored.length === m.events.length, 'every decision to be stored');
    expect(m.stored).toEqual(m.events);

    // Rolled back means rolled back: 2.0.0 gets no more calls (none fails), and the rollout does not start again.
    await until(() => m.client.rules.current().routes[0]?.weights?.['2.0.0'] === undefined, 'the client to see the rollback');
    const mark = m.traffic.mark();
    const decisions = m.events.length;
    await until(() => (m.traffic.since(mark)['1.0.0'] ?? 0) >= 2000, '2000 calls answered by 1.0.0');
    expect(m.traffic.since(mark)).toEqual({ '1.0.0': expect.any(Number) });
    expect(m.events).toHaveLength(decisions);
  });
});

describe('canary controller: the controller dies mid-rollout', () => {
  const m = shopMesh(ShopV2);

  it('a second controller resumes from the stored step once the lock expires', async () => {
    await m.admin.canaries.set(rollout({ maxErrorRatio: 0.05, minRequests: 5 }, [10, 20, 30, 40, 50, 100]));
    const ncA = await connect({ servers: m.server.url });
    const first = await startCanaryController({ nats: ncA, id: 'controller-a', lockTtlMs: 1000, logger: false });
    await until(() => m.events.length > 0, 'the first controller to start the rollout');
    // Started while the first one holds the lock: it must wait.
    const second = await startCanaryController({ nats: { servers: m.server.url }, id: 'controller-b', lockTtlMs: 1000, logger: false });
    m.controllers.push(second);
    await until(() => m.events.some((e) => e.phase === 'progressing' && e.weight >= 30), 'the rollout to reach 30%', 20_000);
    expect(second.driving()).toEqual([]);
    expect(first.driving()).toEqual([SHOP]);

    // A crash: the connection goes, the lock stays until it expires.
    await ncA.close();
    const storedAtCrash = m.stored.length;
    await until(() => m.events.some(finished), 'the rollout to finish', 20_000);
    await until(() => m.stored.length === m.events.length, 'every decision to be stored');
    expect(m.stored).toEqual(m.events);

    const resumed = m.stored.findIndex((s) => /resumed/.test(s.reason));
    expect(resumed).toBeGreaterThanOrEqual(storedAtCrash);
    const before = m.stored[resumed - 1]!;
    expect(m.stored[resumed]).toMatchObject({ phase: before.phase, step: before.step, weight: before.weight, reason: expect.stringMatching(/by controller controller-b/) });
    // Never a step back: it did not start again from the first step.
    const steps = m.stored.map((s) => s.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(m.stored[m.stored.length - 1]).toMatchObject({ phase: 'succeeded', weight: 100 });
    expect(first.driving()).toEqual([]);
  });
});
