import 'reflect-metadata';
import { IsInt, Min } from 'class-validator';
import { Registry } from 'prom-client';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { CLIENT_SUBJECT_LIMIT, createApp, createClient, Handle, MeshError, Service, type App, type Context, type MeshClient } from '@natsmesh/core';
import { labelValues, sample } from './prom-text';
import { quietLogger } from './quiet-logger';

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: MeshError) => e.code);

class PriceInput {
  @IsInt() @Min(1) room!: number;
}

let flakyCalls = 0;

@Service('cm.svc')
class CalledService {
  @Handle('ok')
  ok() {
    return 'ok';
  }

  @Handle('price', { input: PriceInput })
  price(input: PriceInput) {
    return { room: input.room };
  }

  @Handle('slow')
  async slow() {
    await new Promise((r) => setTimeout(r, 300));
    return 'late';
  }

  @Handle('flaky')
  flaky() {
    if (++flakyCalls <= 2) throw new MeshError('UNAVAILABLE', `flaky failure ${flakyCalls}`);
    return 'finally';
  }

  @Handle('sick')
  sick() {
    throw new Error('always broken');
  }

  @Handle('relay')
  relay(_input: unknown, ctx: Context) {
    return ctx.request('cm.svc.ok', {});
  }
}

describe('client metrics of the app client', () => {
  let server: NatsServerHandle;
  let app: App;
  const warnings: Record<string, unknown>[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({
      services: [CalledService],
      nats: { servers: server.url },
      logger: quietLogger(warnings),
      metrics: { port: 0, host: '127.0.0.1', defaultMetrics: false },
      resilience: { breaker: { consecutiveFailures: 3, halfOpenAfter: 60_000 } },
      discovery: { heartbeatInterval: 1000 },
    });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('counts each call once by subject called and code, with retries, the breaker and ctx.request, in the app registry', async () => {
    const client = app.client;
    await client.waitFor('cm.svc');
    const codes = [
      await codeOf(client.request('cm.svc.ok', {})),
      await codeOf(client.request('cm.svc.ok', {}, { strategy: 'round-robin' })),
      await codeOf(client.request('cm.svc.relay', {})),
      await codeOf(client.request('cm.svc.price', { room: 1 })),
      await codeOf(client.request('cm.svc.price', { room: 0 })),
      await codeOf(client.request('cm.svc.slow', {}, { timeout: 50 })),
      await codeOf(client.request('cm.none', {})),
      await codeOf(client.request('cm.svc.flaky', {}, { retry: { attempts: 3, initialDelay: 1, maxDelay: 2 } })),
      await codeOf(client.request('cm.svc.sick', {})),
      await codeOf(client.request('cm.svc.sick', {})),
      await codeOf(client.request('cm.svc.sick', {})),
      await codeOf(client.request('cm.svc.sick', {})),
    ];
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'VALIDATION_FAILED', 'TIMEOUT', 'NO_RESPONDERS', 'OK', 'INTERNAL', 'INTERNAL', 'INTERNAL', 'CIRCUIT_OPEN']);

    const text = await (await fetch(app.metricsUrl!)).text();
    const requests = (subject: string, code: string) => sample(text, 'natsmesh_client_requests_total', { subject, code });
    // The relay's own ctx.request counts as a second call to cm.svc.ok, the balanced one under the subject called.
    expect(requests('cm.svc.ok', 'OK')).toBe(3);
    expect(requests('cm.svc.relay', 'OK')).toBe(1);
    expect(requests('cm.svc.price', 'OK')).toBe(1);
    expect(requests('cm.svc.price', 'VALIDATION_FAILED')).toBe(1);
    expect(requests('cm.svc.slow', 'TIMEOUT')).toBe(1);
    expect(requests('cm.none', 'NO_RESPONDERS')).toBe(1);
    expect(requests('cm.svc.flaky', 'OK')).toBe(1);
    expect(requests('cm.svc.flaky', 'UNAVAILABLE')).toBeUndefined();
    expect(requests('cm.svc.sick', 'INTERNAL')).toBe(3);
    expect(requests('cm.svc.sick', 'CIRCUIT_OPEN')).toBe(1);
    expect(labelValues(text, 'natsmesh_client_requests_total', 'subject').sort()).toEqual(['cm.none', 'cm.svc.flaky', 'cm.svc.ok', 'cm.svc.price', 'cm.svc.relay', 'cm.svc.sick', 'cm.svc.slow']);

    expect(sample(text, 'natsmesh_client_request_duration_seconds_count', { subject: 'cm.svc.price' })).toBe(2);
    expect(sample(text, 'natsmesh_client_request_duration_seconds_bucket', { subject: 'cm.svc.price', le: '10' })).toBe(2);
    expect(sample(text, 'natsmesh_client_retries_total', { subject: 'cm.svc.flaky' })).toBe(2);
    expect(labelValues(text, 'natsmesh_client_retries_total', 'subject')).toEqual(['cm.svc.flaky']);

    expect(sample(text, 'natsmesh_client_circuit_state', { subject: 'cm.svc.sick' })).toBe(2);
    expect(sample(text, 'natsmesh_client_circuit_state', { subject: 'cm.svc.price' })).toBe(0);
    // The balanced call's breaker guards the instance-addressed subject; the gauge names the subject called.
    expect(client.circuit(`$NATSMESH.I.${app.instanceId}.cm.svc.ok`)).toBe('closed');
    expect(sample(text, 'natsmesh_client_circuit_state', { subject: 'cm.svc.ok' })).toBe(0);
    expect(sample(text, 'natsmesh_client_circuit_transitions_total', { subject: 'cm.svc.sick', state: 'open' })).toBe(1);
    expect(labelValues(text, 'natsmesh_client_circuit_transitions_total', 'subject')).toEqual(['cm.svc.sick']);
    expect(text).not.toContain('$NATSMESH');
    // The server side of the same calls, in the same registry.
    expect(sample(text, 'natsmesh_requests_total', { service: 'cm.svc', endpoint: 'ok', code: 'OK' })).toBe(3);
    expect(app.client.metrics).toBe(app.metrics);
  });
});

describe('client metrics of createClient', () => {
  let server: NatsServerHandle;
  let app: App;
  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: [CalledService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('metrics: true makes a registry of its own, and counts client-side throttle refusals', async () => {
    const client = await createClient({ nats: { servers: server.url }, metrics: true, resilience: { throttle: { rate: 0.001, burst: 2 } } });
    try {
      const codes = [await codeOf(client.request('cm.svc.ok')), await codeOf(client.request('cm.svc.ok')), await codeOf(client.request('cm.svc.ok'))];
      expect(codes).toEqual(['OK', 'OK', 'RATE_LIMITED']);
      const text = await client.metrics!.metrics();
      expect(sample(text, 'natsmesh_client_requests_total', { subject: 'cm.svc.ok', code: 'OK' })).toBe(2);
      expect(sample(text, 'natsmesh_client_requests_total', { subject: 'cm.svc.ok', code: 'RATE_LIMITED' })).toBe(1);
      expect(sample(text, 'natsmesh_client_throttled_total', { subject: 'cm.svc.ok' })).toBe(1);
      // Its own registry: no server metrics, no process metrics.
      expect(text).not.toMatch(/^natsmesh_requests_total/m);
      expect(text).not.toMatch(/^process_/m);
    } finally {
      await client.close();
    }
  });

  it('counts into a registry given, shared by two clients, and caps the subjects at CLIENT_SUBJECT_LIMIT', async () => {
    const registry = new Registry();
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const a = await createClient({ nats: { servers: server.url }, metrics: registry });
    const b = await createClient({ nats: { servers: server.url }, metrics: registry });
    try {
      expect(a.metrics).toBe(registry);
      await a.request('cm.svc.ok');
      await b.request('cm.svc.ok');
      for (let i = 0; i < CLIENT_SUBJECT_LIMIT + 2; i++) await codeOf(b.request(`cm.order.${i}.get`));
      const text = await registry.metrics();
      expect(sample(text, 'natsmesh_client_requests_total', { subject: 'cm.svc.ok', code: 'OK' })).toBe(2);
      const subjects = labelValues(text, 'natsmesh_client_requests_total', 'subject');
      expect(subjects).toHaveLength(CLIENT_SUBJECT_LIMIT + 1);
      expect(subjects).toContain('other');
      expect(sample(text, 'natsmesh_client_requests_total', { subject: 'cm.order.0.get', code: 'NO_RESPONDERS' })).toBe(1);
      // 1 subject before, 499 more fit; the last 3 are "other".
      expect(sample(text, 'natsmesh_client_requests_total', { subject: 'other', code: 'NO_RESPONDERS' })).toBe(3);
      expect(emitWarning.mock.calls.filter(([w]) => /more than 500 subjects/.test(String(w)))).toHaveLength(1);
    } finally {
      emitWarning.mockRestore();
      await a.close();
      await b.close();
    }
  });

  it('refuses a metrics option that is neither a registry nor a boolean', async () => {
    await expect(createClient({ nats: { servers: server.url }, metrics: 'yes' as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('metrics') });
    await expect(createClient({ nats: { servers: server.url }, metrics: {} as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('client metrics off', () => {
  it('leaves app.client without the metrics layer', async () => {
    const server = await startNatsServer();
    const off = await createApp({ services: [CalledService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    const on = await createApp({ services: [CalledService], nats: { servers: server.url }, logger: quietLogger(), discovery: false, metrics: { port: 0, defaultMetrics: false } });
    try {
      const layers = (c: MeshClient) => (c as unknown as { meteredCalls: unknown[] }).meteredCalls.length;
      expect(layers(off.client)).toBe(0);
      expect(off.client.metrics).toBeUndefined();
      expect(layers(on.client)).toBe(1);
      await off.start();
      await expect(off.client.request('cm.svc.ok')).resolves.toBe('ok');
    } finally {
      await off.stop();
      await server.stop();
    }
  });

  it('createClient() without the option does not load prom-client; metrics: true does', async () => {
    const server = await startNatsServer();
    try {
      const { execFile } = await import('node:child_process');
      const { join } = await import('node:path');
      const script = `
        require('reflect-metadata');
        const { createClient } = require(${JSON.stringify(join(__dirname, '../dist/index.js'))});
        const loaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]prom-client[\\/]/.test(k));
        (async () => {
          const plain = await createClient({ nats: { servers: ${JSON.stringify(server.url)} } });
          await plain.request('nobody.here').catch(() => undefined);
          await plain.close();
          const afterPlain = loaded();
          const metered = await createClient({ nats: { servers: ${JSON.stringify(server.url)} }, metrics: true });
          await metered.request('nobody.here').catch(() => undefined);
          await metered.close();
          console.log(JSON.stringify({ afterPlain, control: loaded() }));
        })();`;
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..') }, (err, out) => (err ? reject(err) : resolve(out))),
      );
      expect(JSON.parse(stdout)).toEqual({ afterPlain: false, control: true });
    } finally {
      await server.stop();
    }
  });
});
