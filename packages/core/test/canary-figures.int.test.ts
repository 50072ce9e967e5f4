import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, DURATION_BUCKETS, readCanaryStatus, type App, type MeshClient } from '@natsmesh/core';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { buyFrom, FailingShopV2, SHOP, ShopV1 } from './canary-shop';
import { quietLogger } from './quiet-logger';

interface EndpointStatsReply {
  num_requests: number;
  data: { duration_seconds: { le: number[]; counts: number[] } };
}

describe('per-version figures from $SRV.STATS', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let client: MeshClient;
  const apps: App[] = [];

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    for (const [service, instance] of [[ShopV1, 'v1-a'], [ShopV1, 'v1-b'], [FailingShopV2, 'v2-a'], [FailingShopV2, 'v2-b']] as const) {
      const app = await createApp({ services: [service], nats: { servers: server.url }, instance, logger: quietLogger() });
      await app.start();
      apps.push(app);
    }
    client = await createClient({ nats: { servers: server.url }, logger: false });
    nc = await connect({ servers: server.url });
    for (const id of ['v1-a', 'v1-b', 'v2-a', 'v2-b']) {
      for (let i = 0; i < 10; i++) await buyFrom(client, id);
    }
  });

  afterAll(async () => {
    await nc?.close();
    await client?.close();
    for (const app of apps) await app.stop();
    await server?.stop();
  });

  it('STATS serves each endpoint\'s duration histogram, one count per handled request', async () => {
    const reply = JSONCodec<{ endpoints: EndpointStatsReply[] }>().decode((await nc.request(`$SRV.STATS.canary_shop.v2-a-canary_shop`, undefined, { timeout: 2000 })).data);
    const { le, counts } = reply.endpoints[0]!.data.duration_seconds;
    expect(le).toEqual(DURATION_BUCKETS);
    expect(counts).toHaveLength(DURATION_BUCKETS.length + 1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
    // Each call waits 5 ms: none is counted as faster than that.
    expect(counts.slice(0, DURATION_BUCKETS.indexOf(0.005)).every((n) => n === 0)).toBe(true);
  });

  it('readCanaryStatus sums requests, errors and p99 per version over every instance', async () => {
    const [status] = await readCanaryStatus({ nats: nc, service: SHOP, windowMs: 0 });
    expect(status).toMatchObject({ service: SHOP, figures: [
      { version: '1.0.0', instances: 2, requests: 20, errors: 0, errorRatio: 0 },
      { version: '2.0.0', instances: 2, requests: 20, errors: 6, errorRatio: 0.3 },
    ] });
    expect(status!.rule).toBeUndefined();
    expect(status!.state).toBeUndefined();
    for (const f of status!.figures) expect(f.p99Ms).toBeGreaterThanOrEqual(5);
  });
});
