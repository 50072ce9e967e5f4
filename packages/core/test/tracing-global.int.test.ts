import 'reflect-metadata';
import { context, propagation, trace, ProxyTracerProvider, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, Service, type Context } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

@Service('glb.front')
class FrontService {
  @Handle('work')
  async work(_input: unknown, ctx: Context) {
    // User code's own span, through the global API: it nests under the server span when a context manager is registered.
    await trace.getTracer('user').startActiveSpan('user.step', async (span) => {
      try {
        await ctx.request('glb.back.ping', {});
      } finally {
        span.end();
      }
    });
    return true;
  }
}

@Service('glb.back')
class BackService {
  @Handle('ping')
  ping() {
    return 'pong';
  }
}

// Globals are registered and unregistered per test, so no suite sees another's SDK.
function unregister(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}

describe('tracing with the global @opentelemetry/api provider', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    unregister();
    await server?.stop();
  });
  afterEach(unregister);

  const boot = (tracing?: boolean) => createApp({ services: [FrontService, BackService], nats: { servers: server.url }, logger: quietLogger(), discovery: false, tracing });

  it('is on by default once an SDK registered a provider, and user spans nest inside the server span', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    const app = await boot();
    await app.start();
    const client = await createClient({ nats: { servers: server.url } });
    try {
      await client.request('glb.front.work', {});
      const by = (name: string) => exporter.getFinishedSpans().find((s) => s.name === name)!;
      const server = by('process glb.front.work');
      const user = by('user.step');
      const call = by('send glb.back.ping');
      expect(by('send glb.front.work').kind).toBe(SpanKind.CLIENT);
      expect(server.parentSpanContext?.spanId).toBe(by('send glb.front.work').spanContext().spanId);
      expect(user.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      // The context manager makes the user's span the parent of what it calls.
      expect(call.parentSpanContext?.spanId).toBe(user.spanContext().spanId);
      expect(by('process glb.back.ping').parentSpanContext?.spanId).toBe(call.spanContext().spanId);
      expect(app.describe()[0].endpoints[0].middleware).toEqual(['tracing']);
    } finally {
      await client.close();
      await app.stop();
      await provider.shutdown();
    }
  });

  it('is off by default when no provider is registered, and on with true for one registered later', async () => {
    const off = await boot();
    const on = await boot(true);
    expect(off.describe()[0].endpoints[0].middleware).toBeUndefined();
    expect(on.describe()[0].endpoints[0].middleware).toEqual(['tracing']);
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    await on.start();
    try {
      await on.client.request('glb.back.ping', {});
      expect(exporter.getFinishedSpans().map((s) => s.name).sort()).toEqual(['process glb.back.ping', 'send glb.back.ping']);
    } finally {
      await on.stop();
      await provider.shutdown();
    }
  });

  it('treats a registered no-op provider as none', async () => {
    // Something registered the API's own proxy class, with no SDK behind it.
    trace.setGlobalTracerProvider(new ProxyTracerProvider());
    const app = await boot();
    expect(app.describe()[0].endpoints[0].middleware).toBeUndefined();
  });
});
