import 'reflect-metadata';
import { createApp, createClient, createLogger, Handle, Service, type App, type MeshClient } from '@natsmesh/core';
import { startNatsCluster, type NatsClusterHandle } from '@natsmesh/testing';
import { codeOf, sleep, Tally, until } from './support';

const WORKERS = 32;
const TIMEOUT = 500;
const ATTEMPTS = 10;

@Service('rel.price')
class PriceService {
  @Handle('quote')
  quote(input: { n: number }) {
    return { n: input.n, price: 100 };
  }
}

// Core has no retry policy yet (another issue): this is the caller's simple retry loop, with
// a short pause between attempts, for errors a failover can cause.
async function withRetries<T>(call: () => Promise<T>, tally: Tally): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const code = codeOf(err);
      tally.add(`retried:${code}`);
      if (attempt >= ATTEMPTS || !['TIMEOUT', 'UNAVAILABLE', 'NO_RESPONDERS'].includes(code)) throw err;
      await sleep(50 * attempt);
    }
  }
}

describe('a 3-node cluster with one node killed under load', () => {
  let cluster: NatsClusterHandle;
  const apps: App[] = [];
  let client: MeshClient;
  const logger = createLogger({ level: 'silent' });
  // Each connection lists every node, starting with its own, so it can fail over to the others.
  const from = (i: number) => ({ servers: [...cluster.urls.slice(i), ...cluster.urls.slice(0, i)], noRandomize: true, reconnectTimeWait: 100 });

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    for (const node of [0, 2]) {
      const app = await createApp({ services: [PriceService], nats: from(node), logger, discovery: false, instance: `svc-on-${node + 1}` });
      await app.start();
      apps.push(app);
    }
    client = await createClient({ nats: from(2), timeout: TIMEOUT });
  });

  afterAll(async () => {
    await client?.close();
    for (const a of apps) await a.stop();
    await cluster?.stop();
  });

  it('with retries, at least 99.9% of requests succeed and clients move to the surviving nodes', async () => {
    const killed = cluster.servers[2];
    const killedAddr = `127.0.0.1:${killed.port}`;
    expect(client.connection.getServer()).toBe(killedAddr);
    expect(apps[1].client.connection.getServer()).toBe(killedAddr);

    const tally = new Tally();
    let running = true;
    let ok = 0;
    let failed = 0;
    const worker = async () => {
      for (let n = 0; running; n++) {
        try {
          const r = await withRetries(() => client.request<{ n: number }>('rel.price.quote', { n }), tally);
          if (r.n === n) ok++;
          else failed++;
        } catch {
          failed++;
        }
      }
    };
    const ws = Array.from({ length: WORKERS }, worker);
    await sleep(500);
    const okAtKill = ok;
    killed.kill();
    await until(() => client.connection.getServer() !== killedAddr && ok > okAtKill + 1000, 'the client to fail over and get replies', 10_000);
    await sleep(500);
    running = false;
    await Promise.all(ws);

    const rate = ok / (ok + failed);
    console.log(`cluster failover: ${ok} ok, ${failed} failed (${(rate * 100).toFixed(3)}%), retries ${JSON.stringify(tally.toJSON())}`);
    expect(rate).toBeGreaterThanOrEqual(0.999);
    // Clients, the caller's and the service's, are now on surviving nodes.
    const survivors = cluster.servers.slice(0, 2).map((s) => `127.0.0.1:${s.port}`);
    expect(survivors).toContain(client.connection.getServer());
    expect(survivors).toContain(apps[1].client.connection.getServer());
  });
});
