import 'reflect-metadata';
import { IsInt, Min } from 'class-validator';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { connect, createInbox, headers } from 'nats';
import { createApp, createClient, DEADLINE_HEADER, Handle, MeshError, On, Service, TIMEOUT_HEADER, Use, type App, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { until } from './until';
import { sample } from './prom-text';

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: MeshError) => e.code);

class PriceInput {
  @IsInt() @Min(1) room!: number;
}

let release: () => void = () => undefined;
let events = 0;

@Service('met.svc')
class MeteredService {
  @Handle('price', { input: PriceInput })
  price(input: PriceInput) {
    return { room: input.room, price: 120 };
  }

  @Handle('boom')
  boom() {
    throw new MeshError('UNAVAILABLE', 'not now');
  }

  @Handle('limited', { rateLimit: { rate: 0.001, burst: 1 } })
  limited() {
    return 'ok';
  }

  @Handle('huge')
  huge() {
    return 'x'.repeat(2 * 1024 * 1024); // above the server's 1 MiB max_payload
  }

  @Handle('hold')
  hold() {
    return new Promise<string>((resolve) => (release = () => resolve('done')));
  }

  @On('met.evt.*')
  onEvent(data: { fail?: boolean }) {
    events++;
    if (data.fail) throw new Error('event failed');
  }

  @On('met.guarded')
  @Use({ canActivate: () => false })
  guarded() {
    events++;
  }
}

/** Scrapes `app` until `check` holds on the text; gives up after 5 s naming `what`. */
async function scrapeUntil(app: App, check: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await app.metrics!.metrics();
    if (check(text)) return text;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('metrics', () => {
  let server: NatsServerHandle;
  let app: App;
  let client: MeshClient;
  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: [MeteredService], nats: { servers: server.url }, logger: quietLogger(), metrics: { port: 0, host: '127.0.0.1' } });
    await app.start();
    client = await createClient({ nats: { servers: server.url }, timeout: 3000 });
  });
  afterAll(async () => {
    await client?.close();
    await app?.stop();
    await server?.stop();
  });

  it('counts requests per code, times them, and leaves none in flight', async () => {
    const codes = [
      await codeOf(client.request('met.svc.price', { room: 1 })),
      await codeOf(client.request('met.svc.price', { room: 2 })),
      await codeOf(client.request('met.svc.price', { room: 0 })),
      await codeOf(client.request('met.svc.boom', {})),
      await codeOf(client.request('met.svc.limited', {})),
      await codeOf(client.request('met.svc.limited', {})),
      await codeOf(client.request('met.svc.huge', {})),
    ];
    expect(codes).toEqual(['OK', 'OK', 'VALIDATION_FAILED', 'UNAVAILABLE', 'OK', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE']);
    const res = await fetch(`${app.metricsUrl}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const at = (endpoint: string, code: string) => sample(text, 'natsmesh_requests_total', { service: 'met.svc', endpoint, code });
    expect(at('price', 'OK')).toBe(2);
    expect(at('price', 'VALIDATION_FAILED')).toBe(1);
    expect(at('boom', 'UNAVAILABLE')).toBe(1);
    expect(at('limited', 'OK')).toBe(1);
    expect(at('limited', 'RATE_LIMITED')).toBe(1);
    // Counted as answered: the reply could not be sent, the caller got PAYLOAD_TOO_LARGE.
    expect(at('huge', 'PAYLOAD_TOO_LARGE')).toBe(1);
    expect(at('huge', 'OK')).toBe(0);
    expect(sample(text, 'natsmesh_request_duration_seconds_count', { service: 'met.svc', endpoint: 'price' })).toBe(3);
    expect(sample(text, 'natsmesh_request_duration_seconds_bucket', { service: 'met.svc', endpoint: 'price', le: '0.0005' })).toBeDefined();
    expect(sample(text, 'natsmesh_request_duration_seconds_bucket', { service: 'met.svc', endpoint: 'price', le: '10' })).toBe(3);
    expect(sample(text, 'natsmesh_requests_in_flight', { service: 'met.svc', endpoint: 'price' })).toBe(0);
    expect(text).not.toMatch(/met\.svc\.price/);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(app.metrics!.contentType).toMatch(/^text\/plain/);
  });

  it('counts events handled and failed', async () => {
    const before = events;
    client.emit('met.evt.a', {});
    client.emit('met.evt.b', { fail: true });
    await until(() => events === before + 2, 'both events');
    const text = await app.metrics!.metrics();
    expect(sample(text, 'natsmesh_events_total', { service: 'met.svc', handler: 'onEvent', outcome: 'handled' })).toBe(1);
    expect(sample(text, 'natsmesh_events_total', { service: 'met.svc', handler: 'onEvent', outcome: 'failed' })).toBe(1);
  });

  it('counts a request dropped for its deadline as EXPIRED, and a guard refusing an event as refused', async () => {
    const nc = await connect({ servers: server.url });
    try {
      const h = headers();
      h.set(TIMEOUT_HEADER, '1000');
      h.set(DEADLINE_HEADER, String(Date.now() - 5));
      nc.publish('met.svc.boom', new Uint8Array(), { headers: h, reply: createInbox() });
      // 'limited' runs a pipeline (its rate limit); 'boom' the direct path: both count the drop.
      nc.publish('met.svc.limited', new Uint8Array(), { headers: h, reply: createInbox() });
      client.emit('met.guarded', {});
      const text = await scrapeUntil(
        app,
        (t) =>
          sample(t, 'natsmesh_requests_total', { service: 'met.svc', endpoint: 'boom', code: 'EXPIRED' }) === 1 &&
          sample(t, 'natsmesh_requests_total', { service: 'met.svc', endpoint: 'limited', code: 'EXPIRED' }) === 1 &&
          sample(t, 'natsmesh_events_total', { service: 'met.svc', handler: 'guarded', outcome: 'refused' }) === 1,
        'the expired request and the refused event',
      );
      expect(sample(text, 'natsmesh_requests_total', { service: 'met.svc', endpoint: 'boom', code: 'UNAVAILABLE' })).toBe(1);
      expect(sample(text, 'natsmesh_events_total', { service: 'met.svc', handler: 'guarded', outcome: 'handled' })).toBe(0);
      expect(sample(text, 'natsmesh_nats_connected', {})).toBe(1);
    } finally {
      await nc.close();
    }
  });

  it('answers /healthz and /readyz', async () => {
    const base = app.metricsUrl!.replace(/\/metrics$/, '');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    // RFC 9110 §15.5.6: a 405 says which methods the resource takes.
    for (const at of [app.metricsUrl!, `${base}/healthz`, `${base}/nope`]) {
      const refused = await fetch(at, { method: 'POST', body: '{}' });
      expect(refused.status).toBe(405);
      expect(refused.headers.get('allow')).toBe('GET, HEAD');
      await refused.text();
    }
  });
});

describe('readiness', () => {
  it('is 503 while the app drains, and the server closes with the app', async () => {
    const server = await startNatsServer();
    const app = await createApp({ services: [MeteredService], nats: { servers: server.url }, logger: quietLogger(), metrics: { port: 0, defaultMetrics: false } });
    const client = await createClient({ nats: { servers: server.url }, timeout: 3000 });
    try {
      await app.start();
      const base = app.metricsUrl!.replace(/\/metrics$/, '');
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await app.metrics!.metrics()).not.toMatch(/^process_cpu/m);
      const held = client.request('met.svc.hold', {});
      let inFlight = 0;
      while (inFlight === 0) {
        const text = await app.metrics!.metrics();
        inFlight = sample(text, 'natsmesh_requests_in_flight', { service: 'met.svc', endpoint: 'hold' }) ?? 0;
        await new Promise((r) => setTimeout(r, 10));
      }
      const stopping = app.stop();
      const draining = await fetch(`${base}/readyz`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ status: 'stopping', reason: expect.any(String) });
      release();
      await held;
      await stopping;
      await expect(fetch(`${base}/readyz`)).rejects.toThrow();
    } finally {
      release();
      await client.close();
      await app.stop();
      await server.stop();
    }
  });

  it('is 503 when NATS is gone', async () => {
    const server = await startNatsServer();
    // The test owns the connection, with a short reconnect wait, so that it notices the loss fast.
    const nc = await connect({ servers: server.url, reconnectTimeWait: 50 });
    const app = await createApp({ services: [MeteredService], nats: nc, logger: quietLogger(), metrics: { port: 0, defaultMetrics: false } });
    try {
      await app.start();
      const base = app.metricsUrl!.replace(/\/metrics$/, '');
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      await server.stop();
      let res = await fetch(`${base}/readyz`);
      while (res.status === 200) {
        await new Promise((r) => setTimeout(r, 10));
        res = await fetch(`${base}/readyz`);
      }
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'disconnected', reason: expect.any(String) });
    } finally {
      await app.stop();
      await nc.close();
      await server.stop();
    }
  });
});

describe('metrics off', () => {
  it('starts no server and leaves describe() as it was', async () => {
    const server = await startNatsServer();
    try {
      const plain = await createApp({ services: [MeteredService], nats: { servers: server.url }, logger: quietLogger() });
      const off = await createApp({ services: [MeteredService], nats: { servers: server.url }, logger: quietLogger(), metrics: false });
      const on = await createApp({ services: [MeteredService], nats: { servers: server.url }, logger: quietLogger(), metrics: { port: 0 } });
      expect(plain.metricsUrl).toBeUndefined();
      expect(off.metricsUrl).toBeUndefined();
      expect(plain.metrics).toBeUndefined();
      expect(off.describe()).toEqual(plain.describe());
      // With metrics on, each handler lists the built-in metrics middleware first, as it lists rateLimit.
      const [price] = on.describe()[0].endpoints;
      expect(price.middleware).toEqual(['metrics']);
    } finally {
      await server.stop();
    }
  });

  it('refuses bad options and a port in use', async () => {
    await expect(createApp({ services: [MeteredService], metrics: { port: -1 } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createApp({ services: [MeteredService], metrics: { port: 80.5 } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createApp({ services: [MeteredService], metrics: { port: 0, path: 'metrics' } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createApp({ services: [MeteredService], metrics: { port: 0, host: '' } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createApp({ services: [MeteredService], metrics: 'yes' as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    // A typo is not silently ignored: the message names the key and the keys there are.
    await expect(createApp({ services: [MeteredService], metrics: { port: 0, defaultMetric: false } as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/metrics\.defaultMetric is not an option.*port, host, path, defaultMetrics/),
    });
    for (const path of ['/healthz', '/readyz', '/healthz/', '/readyz/']) {
      await expect(createApp({ services: [MeteredService], metrics: { port: 0, path } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('metrics.path') });
    }

    const server = await startNatsServer();
    const first = await createApp({ services: [MeteredService], nats: { servers: server.url }, logger: quietLogger(), metrics: { port: 0, host: '127.0.0.1' } });
    try {
      await first.start();
      const port = Number(new URL(first.metricsUrl!).port);
      const second = await createApp({ services: [MeteredService], nats: { servers: server.url }, logger: quietLogger(), metrics: { port, host: '127.0.0.1' } });
      await expect(second.start()).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(String(port)) });
    } finally {
      await first.stop();
      await server.stop();
    }
  });

  it('importing @natsmesh/core does not load prom-client', async () => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    const script = `
      require('reflect-metadata');
      require(${JSON.stringify(join(__dirname, '../dist/index.js'))});
      const loaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]prom-client[\\/]/.test(k));
      const atImport = loaded();
      require('prom-client');
      console.log(JSON.stringify({ atImport, control: loaded() }));`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..') }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    expect(JSON.parse(stdout)).toEqual({ atImport: false, control: true });
  });
});
