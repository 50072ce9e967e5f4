import 'reflect-metadata';
import { context, propagation, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { connect, headers as natsHeaders, Match, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, DEADLINE_HEADER, Handle, MeshError, On, Service, TIMEOUT_HEADER, type App, type Context, type Logger, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { until } from './until';

const audited: { subject: string; traceparent: string | undefined }[] = [];

@Service('trc.booking')
class BookingService {
  @Handle('save')
  async save(input: { room: number }, ctx: Context) {
    ctx.log.info({ room: input.room }, 'saving');
    const price = await ctx.request<number>('trc.pricing.quote', { room: input.room });
    ctx.emit('app.booking.save', { room: input.room, price });
    return { room: input.room, price };
  }

  @Handle('refused')
  refused(_input: unknown, ctx: Context) {
    return ctx.request('trc.pricing.reject', {});
  }

  @Handle('crash')
  crash(): never {
    throw new Error('database gone');
  }

  @Handle('echo')
  echo(_input: unknown, ctx: Context) {
    const all = (key: string) => (ctx.headers === undefined ? undefined : ctx.headers.values(key, Match.IgnoreCase));
    return { traceparent: ctx.headers?.get('traceparent'), traceparents: all('traceparent'), tracestates: all('tracestate') };
  }
}

@Service('trc.pricing')
class PricingService {
  @Handle('quote')
  quote(input: { room: number }, ctx: Context) {
    ctx.log.info('quoting');
    return input.room * 10;
  }

  @Handle('reject')
  reject(): never {
    throw new MeshError('VALIDATION_FAILED', 'room must be positive');
  }

  private flakyCalls = 0;

  @Handle('flaky')
  flaky() {
    if (++this.flakyCalls % 2 === 1) throw new MeshError('UNAVAILABLE', 'try again');
    return 'ok';
  }
}

// Hosted alone by the app that counts child loggers (a queue group shared with another app would split the requests).
@Service('trc.counted')
class CountedService {
  @Handle('silent')
  silent() {
    return 1;
  }

  @Handle('reject')
  reject(): never {
    throw new MeshError('VALIDATION_FAILED', 'room must be positive');
  }

  @Handle('logs')
  logs(_input: unknown, ctx: Context) {
    ctx.log.info('logging');
    return 2;
  }
}

@Service('trc.compliance')
class ComplianceService {
  @On('app.*.save')
  audit(_input: unknown, ctx: Context) {
    audited.push({ subject: ctx.subject, traceparent: ctx.headers?.get('traceparent') || undefined });
  }
}

const SERVICES = [BookingService, PricingService, ComplianceService];

function recorder() {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const spans = () => exporter.getFinishedSpans();
  const named = (name: string) => spans().filter((s) => s.name === name);
  return { exporter, provider, spans, named };
}

// The logger's methods bound to it, so a copy can override child().
const bindLogger = (l: Logger): Logger => ({
  trace: l.trace.bind(l),
  debug: l.debug.bind(l),
  info: l.info.bind(l),
  warn: l.warn.bind(l),
  error: l.error.bind(l),
  fatal: l.fatal.bind(l),
  child: l.child.bind(l),
});

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

describe('tracing with a given tracer provider (no global SDK, no context manager)', () => {
  const rec = recorder();
  const logs: Record<string, unknown>[] = [];
  let server: NatsServerHandle;
  let app: App;
  let client: MeshClient;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: SERVICES, nats: { servers: server.url }, logger: quietLogger(logs), discovery: false, tracing: { tracerProvider: rec.provider } });
    await app.start();
    client = await createClient({ nats: { servers: server.url }, timeout: 3000, tracing: { tracerProvider: rec.provider } });
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await client?.close();
    await app?.stop();
    await server?.stop();
    await rec.provider.shutdown();
  });

  beforeEach(() => {
    rec.exporter.reset();
    audited.length = 0;
    logs.length = 0;
  });

  it('records client → server → ctx.request → server → ctx.emit → @On as one trace', async () => {
    await expect(client.request('trc.booking.save', { room: 3 })).resolves.toEqual({ room: 3, price: 30 });
    await until(() => rec.named('process app.*.save').length === 1, 'the consumer span');

    const [callSave] = rec.named('send trc.booking.save');
    const [processSave] = rec.named('process trc.booking.save');
    const [callQuote] = rec.named('send trc.pricing.quote');
    const [processQuote] = rec.named('process trc.pricing.quote');
    const [publish] = rec.named('publish app.booking.save');
    const [consume] = rec.named('process app.*.save');
    const all = [callSave, processSave, callQuote, processQuote, publish, consume];
    expect(all.every((s) => s !== undefined)).toBe(true);
    expect(new Set(all.map((s) => s.spanContext().traceId)).size).toBe(1);

    expect(parentOf(callSave)).toBeUndefined();
    expect(parentOf(processSave)).toBe(callSave.spanContext().spanId);
    expect(parentOf(callQuote)).toBe(processSave.spanContext().spanId);
    expect(parentOf(processQuote)).toBe(callQuote.spanContext().spanId);
    expect(parentOf(publish)).toBe(processSave.spanContext().spanId);
    expect(parentOf(consume)).toBe(publish.spanContext().spanId);
    expect(consume.links.map((l) => l.context.spanId)).toEqual([publish.spanContext().spanId]);

    expect(all.map((s) => s.kind)).toEqual([SpanKind.CLIENT, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER]);
    expect(all.every((s) => s.status.code !== SpanStatusCode.ERROR)).toBe(true);
    expect(callSave.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'trc.booking.save',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.message.body.size': Buffer.byteLength(JSON.stringify({ room: 3 })),
    });
    expect(processSave.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'trc.booking.save',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': expect.any(String),
      'messaging.message.body.size': Buffer.byteLength(JSON.stringify({ room: 3 })),
      'natsmesh.service': 'trc.booking',
      'natsmesh.endpoint': 'save',
    });
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': 'app.booking.save', 'messaging.operation.type': 'send', 'messaging.operation.name': 'publish' });
    expect(consume.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'app.booking.save',
      'messaging.destination.template': 'app.*.save',
      'messaging.operation.type': 'process',
      'natsmesh.service': 'trc.compliance',
      'natsmesh.handler': 'audit',
    });
    // The event carries the producer span's context, not the request's it was emitted in.
    expect(audited[0].traceparent).toContain(publish.spanContext().spanId);
  });

  it('gives a failed call ERROR on its client and server spans, with the code', async () => {
    await expect(client.request('trc.booking.refused', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    for (const name of ['send trc.booking.refused', 'process trc.booking.refused', 'send trc.pricing.reject', 'process trc.pricing.reject']) {
      const [span] = rec.named(name);
      expect({ name, status: span?.status.code, type: span?.attributes['error.type'] }).toEqual({ name, status: SpanStatusCode.ERROR, type: 'VALIDATION_FAILED' });
    }
    const [server] = rec.named('process trc.pricing.reject');
    expect(server.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('keeps every retry attempt inside one client span, each attempt a server span of its own', async () => {
    await expect(client.request('trc.pricing.flaky', {}, { retry: { attempts: 3, initialDelay: 1 } })).resolves.toBe('ok');
    const calls = rec.named('send trc.pricing.flaky');
    const attempts = rec.named('process trc.pricing.flaky');
    expect(calls).toHaveLength(1);
    expect(calls[0].status.code).not.toBe(SpanStatusCode.ERROR);
    expect(attempts.map((a) => [parentOf(a), a.attributes['error.type']])).toEqual([
      [calls[0].spanContext().spanId, 'UNAVAILABLE'],
      [calls[0].spanContext().spanId, undefined],
    ]);
  });

  it('gives a client span TIMEOUT when nobody answers in time, and INTERNAL for an unknown error', async () => {
    await expect(client.request('trc.booking.crash', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(rec.named('process trc.booking.crash')[0].attributes['error.type']).toBe('INTERNAL');
    const sub = nc.subscribe('trc.silent.call');
    await nc.flush();
    await expect(client.request('trc.silent.call', {}, { timeout: 100 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    sub.unsubscribe();
    expect(rec.named('send trc.silent.call')[0].attributes['error.type']).toBe('TIMEOUT');
  });

  it('continues the trace of a plain NATS client that sends a traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const h = natsHeaders();
    h.set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
    h.set('tracestate', 'vendor=value');
    await nc.request('trc.booking.save', JSON.stringify({ room: 1 }), { headers: h, timeout: 3000 });
    const [processSave] = rec.named('process trc.booking.save');
    expect(processSave.spanContext().traceId).toBe(traceId);
    expect(parentOf(processSave)).toBe('00f067aa0ba902b7');
    expect(processSave.parentSpanContext?.isRemote).toBe(true);
    // ctx.request forwards the incoming headers, but the traceparent that goes on is its own span's.
    const [callQuote] = rec.named('send trc.pricing.quote');
    expect(callQuote.spanContext().traceId).toBe(traceId);
    expect(parentOf(callQuote)).toBe(processSave.spanContext().spanId);
  });

  it('sends the client span as traceparent, replacing one given in the headers whatever its case', async () => {
    const stale = '00-11111111111111111111111111111111-2222222222222222-01';
    const out = await client.request<{ traceparents: string[]; tracestates: string[] }>('trc.booking.echo', {}, { headers: { TraceParent: stale, tracestate: 'stale=1' } });
    const [call] = rec.named('send trc.booking.echo');
    expect(out).toEqual({ traceparent: expect.any(String), traceparents: [`00-${call.spanContext().traceId}-${call.spanContext().spanId}-01`], tracestates: [] });
  });

  it('puts trace_id and span_id of the server span on ctx.log lines and on the route\'s own lines', async () => {
    await client.request('trc.booking.save', { room: 4 });
    await expect(client.request('trc.booking.crash', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    const [processSave] = rec.named('process trc.booking.save');
    const [processQuote] = rec.named('process trc.pricing.quote');
    const [processCrash] = rec.named('process trc.booking.crash');
    const saving = logs.find((l) => l.msg === 'saving');
    const quoting = logs.find((l) => l.msg === 'quoting');
    const failed = logs.find((l) => l.msg === 'request failed');
    expect(saving).toMatchObject({ trace_id: processSave.spanContext().traceId, span_id: processSave.spanContext().spanId, service: 'trc.booking', endpoint: 'save', instanceId: app.instanceId });
    expect(quoting).toMatchObject({ trace_id: processQuote.spanContext().traceId, span_id: processQuote.spanContext().spanId, service: 'trc.pricing', endpoint: 'quote', instanceId: app.instanceId });
    expect(failed).toMatchObject({ trace_id: processCrash.spanContext().traceId, span_id: processCrash.spanContext().spanId, service: 'trc.booking', endpoint: 'crash', instanceId: app.instanceId });
  });

  it('makes a request dropped for its deadline visible: ERROR with EXPIRED, no reply', async () => {
    const h = natsHeaders();
    h.set(TIMEOUT_HEADER, '1000');
    h.set(DEADLINE_HEADER, String(Date.now() - 1000));
    nc.publish('trc.pricing.quote', JSON.stringify({ room: 1 }), { headers: h, reply: '_INBOX.late' });
    await until(() => rec.named('process trc.pricing.quote').length === 1, 'the server span of the late request');
    const [span] = rec.named('process trc.pricing.quote');
    expect({ status: span.status.code, type: span.attributes['error.type'] }).toEqual({ status: SpanStatusCode.ERROR, type: 'EXPIRED' });
  });

  it('builds no per-message child logger when the handler does not log', async () => {
    let children = 0;
    const base = quietLogger();
    const counting = (l: Logger): Logger => ({ ...bindLogger(l), child: (b) => (children++, counting(l.child(b))) });
    const counted = await createApp({ services: [CountedService], nats: { servers: server.url }, logger: counting(base), discovery: false, tracing: { tracerProvider: rec.provider } });
    await counted.start();
    try {
      await client.request('trc.counted.silent', {});
      const before = children;
      await client.request('trc.counted.silent', {});
      await expect(client.request('trc.counted.reject', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const silent = children - before;
      await client.request('trc.counted.logs', {});
      // Control: a handler that reads ctx.log makes its child logger (with trace_id and span_id).
      expect({ silent, logging: children - before - silent }).toEqual({ silent: 0, logging: 1 });
    } finally {
      await counted.stop();
    }
  });

  it('lists the built-in tracing middleware first in describe()', () => {
    const booking = app.describe().find((d) => d.name === 'trc.booking')!;
    expect(booking.endpoints.find((e) => e.name === 'save')!.middleware).toEqual(['tracing']);
  });
});

describe('tracing off', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('adds no header and no middleware, with false or without a registered provider', async () => {
    const rec = recorder();
    for (const tracing of [false, undefined]) {
      const app = await createApp({ services: SERVICES, nats: { servers: server.url }, logger: quietLogger(), discovery: false, tracing });
      await app.start();
      const client = await createClient({ nats: { servers: server.url }, tracing });
      try {
        expect(app.describe().flatMap((d) => [...d.endpoints, ...d.subscriptions].flatMap((h) => h.middleware ?? []))).toEqual([]);
        const out = await client.request<{ traceparent: string | undefined }>('trc.booking.echo', {});
        expect(out.traceparent).toBeUndefined();
        const sub = nc.subscribe('app.booking.save', { max: 1 });
        await nc.flush();
        await client.request('trc.booking.save', { room: 2 });
        for await (const m of sub) expect(m.headers?.get('traceparent') ?? '').toBe('');
      } finally {
        await client.close();
        await app.stop();
      }
    }
    expect(rec.spans()).toEqual([]);
  });

  it('refuses a bad tracing option', async () => {
    await expect(createApp({ services: SERVICES, tracing: 'yes' as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('tracing') });
    await expect(createApp({ services: SERVICES, tracing: { tracerProvider: {} as never } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('tracerProvider') });
    await expect(createClient({ nats: nc, tracing: { propagator: { inject: () => undefined } as never } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('propagator') });
    await expect(createClient({ nats: nc, tracing: 1 as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createApp({ services: SERVICES, tracing: { tracerprovider: {} } as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/tracing\.tracerprovider is not an option.*tracerProvider, propagator/),
    });
    await expect(createClient({ nats: nc, tracing: { propagators: undefined } as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('tracing.propagators') });
  });

  it('importing @natsmesh/core does not load @opentelemetry/api', async () => {
    const { execFile } = await import('node:child_process');
    const { join } = await import('node:path');
    const script = `
      require('reflect-metadata');
      require(${JSON.stringify(join(__dirname, '../dist/index.js'))});
      const loaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]@opentelemetry[\\/]api[\\/]/.test(k));
      const atImport = loaded();
      require('@opentelemetry/api');
      console.log(JSON.stringify({ atImport, control: loaded() }));`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..') }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    expect(JSON.parse(stdout)).toEqual({ atImport: false, control: true });
  });
});
