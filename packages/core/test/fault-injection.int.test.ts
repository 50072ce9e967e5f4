import 'reflect-metadata';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  createAdmin,
  createApp,
  createClient,
  ERROR_CODE_HEADER,
  FAULT_HEADER,
  Handle,
  MeshError,
  NO_RULES,
  Service,
  VERSION_PREFIX,
  versionToken,
  type App,
  type Context,
  type FaultRule,
  type MeshAdmin,
  type MeshClient,
  type RulesView,
} from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { sample } from './prom-text';
import { until } from './until';

@Service('flt.booking', { version: '1.2.0' })
class BookingService {
  handled = 0;

  @Handle('save')
  save(input: { n: number }) {
    this.handled++;
    return { n: input.n };
  }

  @Handle('get')
  get() {
    return 'got';
  }
}

/** Writes exactly these faults (no other rule) through the admin, and waits until every view has them. */
async function putFaults(admin: MeshAdmin, faults: FaultRule[], views: RulesView[]): Promise<void> {
  await admin.apply({ ...NO_RULES, faults }, { prune: true });
  const names = JSON.stringify(faults.map((f) => f.name).sort());
  const has = (v: RulesView) => JSON.stringify(v.current().faults.map((f) => f.name).sort()) === names;
  await until(() => views.every(has), `the faults ${names} in every view`);
}

const inAMinute = () => Date.now() + 60_000;

async function codesOf(client: MeshClient, subject: string, calls: number, inFlight = 64): Promise<Map<string, number>> {
  const codes = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      const n = next++;
      const code = await client.request(subject, { n }).then(
        () => 'OK',
        (err: unknown) => (MeshError.is(err) ? err.code : 'NOT_A_MESH_ERROR'),
      );
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return codes;
}

describe('fault injection', () => {
  const logs: Record<string, unknown>[] = [];
  let server: NatsServerHandle;
  let admin: MeshAdmin;
  let app: App;
  let client: MeshClient;
  let nc: NatsConnection;
  const faults = (list: FaultRule[]) => putFaults(admin, list, [app.rules]);

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    admin = await createAdmin({ nats: { servers: server.url }, warnings: false });
    app = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: quietLogger(logs), metrics: { port: 0 } });
    await app.start();
    // Without the control plane: it applies no client-side fault, so it sees the server's faults alone.
    client = await createClient({ nats: { servers: server.url }, timeout: 3000, control: false, logger: false });
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await nc?.close();
    await client?.close();
    await app?.stop();
    await admin?.close();
    await server?.stop();
  });
  afterEach(() => faults([]));

  it('aborts 30% of 5,000 calls with UNAVAILABLE, marked in metrics and logs', async () => {
    await faults([{ name: 'flaky-save', service: 'flt.booking', endpoint: 'save', abort: { code: 'UNAVAILABLE', percent: 30 }, expiresAt: inAMinute() }]);
    logs.length = 0;
    const codes = await codesOf(client, 'flt.booking.save', 5_000);
    const failed = codes.get('UNAVAILABLE') ?? 0;
    expect([...codes.keys()].sort()).toEqual(['OK', 'UNAVAILABLE']);
    expect(failed).toBeGreaterThanOrEqual(1_350);
    expect(failed).toBeLessThanOrEqual(1_650);
    const text = await app.metrics!.metrics();
    expect(sample(text, 'natsmesh_faults_injected_total', { service: 'flt.booking', endpoint: 'save', fault: 'flaky-save', kind: 'abort' })).toBe(failed);
    const marked = logs.filter((l) => l.fault === 'flaky-save' && l.msg === 'fault injected: request aborted');
    expect(marked).toHaveLength(failed);
    expect(logs.filter((l) => l.msg === 'request failed')).toEqual([]);
  });

  it('answers an aborted request with a normal error reply naming the fault', async () => {
    await faults([{ name: 'down', service: 'flt.booking', abort: { code: 'UNAVAILABLE', percent: 100 }, expiresAt: inAMinute() }]);
    const err = await client.request('flt.booking.get').catch((e: unknown) => e as MeshError);
    expect(err).toBeInstanceOf(MeshError);
    expect((err as MeshError).code).toBe('UNAVAILABLE');
    expect((err as MeshError).status).toBe(503);
    expect((err as MeshError).message).toMatch(/^Fault "down" of the control plane failed this request to "flt.booking.get" on purpose/);
    expect((err as MeshError).details).toEqual({ fault: 'down' });
  });

  it('delays only the calls whose header matches', async () => {
    await faults([{ name: 'slow-canary', service: 'flt.booking', endpoint: 'save', match: { headers: { 'x-canary': '1' } }, delay: { ms: 200, percent: 100 }, expiresAt: inAMinute() }]);
    const call = async (canary: boolean) => {
      const h = natsHeaders();
      if (canary) h.set('X-Canary', '1');
      const started = Date.now();
      const reply = await nc.request('flt.booking.save', JSON.stringify({ n: 1 }), { timeout: 3000, headers: h });
      return { fault: reply.headers?.values(FAULT_HEADER) ?? [], ms: Date.now() - started };
    };
    const before = sample(await app.metrics!.metrics(), 'natsmesh_faults_injected_total', { service: 'flt.booking', endpoint: 'save', fault: 'slow-canary', kind: 'delay' }) ?? 0;
    const matching = await Promise.all(Array.from({ length: 10 }, () => call(true)));
    const others = await Promise.all(Array.from({ length: 10 }, () => call(false)));
    expect(matching.map((r) => r.fault)).toEqual(Array(10).fill(['slow-canary;delay=200']));
    expect(others.map((r) => r.fault)).toEqual(Array(10).fill([]));
    for (const r of matching) expect(r.ms).toBeGreaterThanOrEqual(190);
    const after = sample(await app.metrics!.metrics(), 'natsmesh_faults_injected_total', { service: 'flt.booking', endpoint: 'save', fault: 'slow-canary', kind: 'delay' });
    expect(after! - before).toBe(10);
  });

  it('stops a fault at its expiresAt by itself', async () => {
    const expiresAt = Date.now() + 1_000;
    await faults([{ name: 'brief', service: 'flt.booking', endpoint: 'get', abort: { code: 'INTERNAL', percent: 100 }, expiresAt }]);
    await expect(client.request('flt.booking.get')).rejects.toMatchObject({ code: 'INTERNAL' });
    await until(() => Date.now() > expiresAt, 'the fault to expire', 3_000);
    await until(() => logs.some((l) => l.msg === 'faults no longer injected into this endpoint' && l.endpoint === 'get'), 'the fault to be taken out', 3_000);
    await expect(client.request('flt.booking.get')).resolves.toBe('got');
  });

  it('applies a client-side fault only in the client that applies it', async () => {
    const faulty = await createClient({ nats: { servers: server.url }, timeout: 3000, metrics: true, logger: false });
    try {
      await putFaults(admin, [{ name: 'client-abort', service: 'flt.booking', endpoint: 'save', where: 'client', abort: { code: 'RATE_LIMITED', percent: 100 }, expiresAt: inAMinute() }], [app.rules, faulty.rules]);
      const handled = app.container.resolve(BookingService).handled;
      await expect(faulty.request('flt.booking.save', { n: 1 })).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { fault: 'client-abort' } });
      await expect(client.request('flt.booking.save', { n: 2 })).resolves.toEqual({ n: 2 });
      await expect(app.client.request('flt.booking.save', { n: 3 })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      const raw = await nc.request('flt.booking.save', JSON.stringify({ n: 4 }), { timeout: 3000 });
      expect(raw.json()).toEqual({ n: 4 });
      expect(sample(await faulty.metrics!.metrics(), 'natsmesh_client_faults_injected_total', { subject: 'flt.booking.save', fault: 'client-abort', kind: 'abort' })).toBe(1);
      // Neither aborted call reached the service: only those of the client without the control plane and of plain NATS did.
      expect(app.container.resolve(BookingService).handled).toBe(handled + 2);
    } finally {
      await faulty.close();
    }
  });

  it('injects a client-side fault into each attempt, so the retry policy sees it, and a delay past the timeout ends in TIMEOUT', async () => {
    const faulty = await createClient({ nats: { servers: server.url }, timeout: 3000, metrics: true, logger: false });
    try {
      await putFaults(
        admin,
        [
          { name: 'save-down', service: 'flt.booking', endpoint: 'save', where: 'client', abort: { code: 'UNAVAILABLE', percent: 100 }, expiresAt: inAMinute() },
          { name: 'get-stuck', service: 'flt.booking', endpoint: 'get', where: 'client', delay: { ms: 10_000, percent: 100 }, expiresAt: inAMinute() },
        ],
        [app.rules, faulty.rules],
      );
      await expect(faulty.request('flt.booking.save', { n: 1 }, { retry: { attempts: 3, initialDelay: 1, maxDelay: 1 } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      const text = await faulty.metrics!.metrics();
      expect(sample(text, 'natsmesh_client_faults_injected_total', { subject: 'flt.booking.save', fault: 'save-down', kind: 'abort' })).toBe(3);
      expect(sample(text, 'natsmesh_client_retries_total', { subject: 'flt.booking.save' })).toBe(2);
      const stuck = await faulty.request('flt.booking.get', undefined, { timeout: 200 }).catch((e: unknown) => e as MeshError);
      expect(stuck).toMatchObject({ code: 'TIMEOUT', details: { fault: 'get-stuck' } });
      expect((stuck as MeshError).message).toMatch(/fault "get-stuck" of the control plane delayed the call by 10000 ms on purpose/);
    } finally {
      await faulty.close();
    }
  });
});

@Service('flt.pricing', { version: '1.0.0' })
class PricingV1 {
  @Handle('quote')
  quote(_input: unknown, ctx: Context) {
    ctx.log.info('quoting');
    return '1.0.0';
  }
}

@Service('flt.pricing', { version: '2.0.0' })
class PricingV2 {
  @Handle('quote')
  quote(_input: unknown, ctx: Context) {
    ctx.log.info('quoting');
    return '2.0.0';
  }
}

describe('fault injection scoped by version, traced', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const logs: Record<string, unknown>[] = [];
  let server: NatsServerHandle;
  let admin: MeshAdmin;
  let v1: App;
  let v2: App;
  let client: MeshClient;

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    admin = await createAdmin({ nats: { servers: server.url }, warnings: false });
    const boot = (service: typeof PricingV1) =>
      createApp({ services: [service], nats: { servers: server.url }, logger: quietLogger(logs), metrics: { port: 0 }, tracing: { tracerProvider: provider } });
    v1 = await boot(PricingV1);
    v2 = await boot(PricingV2);
    await v1.start();
    await v2.start();
    client = await createClient({ nats: { servers: server.url }, timeout: 3000, strategy: 'round-robin', metrics: true, tracing: { tracerProvider: provider }, logger: false });
    const registry = await client.registry();
    await until(() => registry.instances('flt.pricing').length === 2, 'both versions in the registry');
  });
  afterAll(async () => {
    await client?.close();
    await v1?.stop();
    await v2?.stop();
    await admin?.close();
    await server?.stop();
    await provider.shutdown();
  });
  beforeEach(() => {
    exporter.reset();
    logs.length = 0;
  });
  const faults = (list: FaultRule[]) => putFaults(admin, list, [v1.rules, v2.rules, client.rules]);
  afterEach(() => faults([]));

  const quoteAll = (calls: number) =>
    Promise.all(
      Array.from({ length: calls }, () =>
        client.request<string>('flt.pricing.quote').then(
          (v) => v,
          (err: MeshError) => err.code,
        ),
      ),
    );
  const injected = async (app: App, kind: string, fault: string) =>
    sample(await app.metrics!.metrics(), 'natsmesh_faults_injected_total', { service: 'flt.pricing', endpoint: 'quote', fault, kind }) ?? 0;

  it('delays only the instances of the version named, and marks their spans and log lines', async () => {
    await faults([{ name: 'slow-v2', service: 'flt.pricing', version: '2.0.0', delay: { ms: 20, percent: 100 }, expiresAt: inAMinute() }]);
    const replies = await quoteAll(40);
    const fromV2 = replies.filter((r) => r === '2.0.0').length;
    expect(fromV2).toBeGreaterThan(0);
    expect(await injected(v2, 'delay', 'slow-v2')).toBe(fromV2);
    expect(await injected(v1, 'delay', 'slow-v2')).toBe(0);
    const served = exporter.getFinishedSpans().filter((s) => s.name === 'process flt.pricing.quote');
    expect(served.filter((s) => s.attributes['natsmesh.fault'] === 'slow-v2')).toHaveLength(fromV2);
    const quoting = logs.filter((l) => l.msg === 'quoting');
    expect(quoting.filter((l) => l.fault === 'slow-v2')).toHaveLength(fromV2);
    expect(quoting.filter((l) => l.fault === undefined)).toHaveLength(40 - fromV2);
  });

  it('aborts on the client only the calls it sends to an instance of the version named', async () => {
    await faults([{ name: 'no-v2', service: 'flt.pricing', version: '2.0.0', where: 'client', abort: { code: 'UNAVAILABLE', percent: 100 }, expiresAt: inAMinute() }]);
    const replies = await quoteAll(40);
    // Round robin over one instance of each version: every other call goes to 2.0.0, and fails before it is sent.
    expect(replies.filter((r) => r === 'UNAVAILABLE')).toHaveLength(20);
    expect(replies.filter((r) => r === '1.0.0')).toHaveLength(20);
    const sent = exporter.getFinishedSpans().filter((s) => s.name === 'send flt.pricing.quote');
    expect(sent.filter((s) => s.attributes['natsmesh.fault'] === 'no-v2')).toHaveLength(20);
    expect(sample(await client.metrics!.metrics(), 'natsmesh_client_faults_injected_total', { subject: 'flt.pricing.quote', fault: 'no-v2', kind: 'abort' })).toBe(20);
  });

  it('leaves out a client-side fault that matches another caller', async () => {
    await faults([{ name: 'batch-only', service: 'flt.pricing', where: 'client', match: { caller: 'batch' }, abort: { code: 'UNAVAILABLE', percent: 100 }, expiresAt: inAMinute() }]);
    const replies = await quoteAll(10);
    expect(replies.filter((r) => r === 'UNAVAILABLE')).toEqual([]);
  });
});

describe('server faults on the version-addressed subjects (found by review: those kept the callback of start)', () => {
  it('a fault in force at start is applied on $NATSMESH.V…, and once deleted the endpoint answers there again', async () => {
    const server = await startNatsServer({ jetstream: true });
    const admin = await createAdmin({ nats: { servers: server.url }, warnings: false });
    const nc = await connect({ servers: server.url });
    let app: App | undefined;
    try {
      await admin.faults.set({ name: 'v-get', service: 'flt.booking', endpoint: 'get', abort: { code: 'UNAVAILABLE', percent: 100 }, expiresAt: inAMinute() });
      app = await createApp({ services: [BookingService], nats: { servers: server.url }, logger: false });
      await app.start();
      const subject = `${VERSION_PREFIX}.${versionToken('1.2.0')}.flt.booking.get`;
      const codeOf = async () => (await nc.request(subject, new TextEncoder().encode('{}'), { timeout: 2000 })).headers?.get(ERROR_CODE_HEADER) || 'OK'; // the status natsmesh answers with
      expect(await codeOf()).toBe('503');
      await admin.faults.delete('v-get');
      await until(() => app!.rules.current().faults.length === 0, 'the fault gone from the app');
      expect(await codeOf()).toBe('OK');
    } finally {
      await app?.stop();
      await nc.close();
      await admin.close();
      await server.stop();
    }
  });
});
