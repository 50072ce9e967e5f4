import 'reflect-metadata';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Match } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, Service, type App, type Context, type MeshClient } from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

type Seen = { baggage: string[]; foo: string[]; traceparent: string[] };

@Service('bag.svc')
class BaggageService {
  @Handle('echo')
  echo(_input: unknown, ctx: Context): Seen {
    const all = (key: string) => ctx.headers?.values(key, Match.IgnoreCase) ?? [];
    return { baggage: all('baggage'), foo: all('x-foo'), traceparent: all('traceparent') };
  }

  @Handle('relay')
  async relay(_input: unknown, ctx: Context) {
    const got = ctx.headers?.get('traceparent');
    return { got, echoed: await ctx.request<Seen>('bag.svc.echo', {}) };
  }
}

describe('tracing with the SDK default propagator (trace context and baggage)', () => {
  const provider = new NodeTracerProvider();
  const propagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
  let server: NatsServerHandle;
  let app: App;
  let client: MeshClient;
  beforeAll(async () => {
    server = await startNatsServer();
    const tracing = { tracerProvider: provider, propagator };
    app = await createApp({ services: [BaggageService], nats: { servers: server.url }, logger: quietLogger(), discovery: false, tracing });
    await app.start();
    client = await createClient({ nats: { servers: server.url }, timeout: 3000, tracing });
  });
  afterAll(async () => {
    await client?.close();
    await app?.stop();
    await server?.stop();
    await provider.shutdown();
  });

  it("keeps a caller's own baggage and other headers, and writes its own traceparent", async () => {
    const seen = await client.request<Seen>('bag.svc.echo', {}, { headers: { baggage: 'k=v', 'x-foo': 'bar' } });
    expect(seen).toEqual({ baggage: ['k=v'], foo: ['bar'], traceparent: [expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)] });
  });

  it('ctx.request forwards the incoming baggage once, with a traceparent of its own span in place of the incoming one', async () => {
    const { got, echoed } = await client.request<{ got: string; echoed: Seen }>('bag.svc.relay', {}, { headers: { baggage: 'k=v', 'x-foo': 'bar' } });
    expect(echoed.baggage).toEqual(['k=v']);
    expect(echoed.foo).toEqual(['bar']);
    expect(echoed.traceparent).toHaveLength(1);
    expect(echoed.traceparent[0]).not.toBe(got);
    // The same trace: the handler's call is a child of the relay's span.
    expect(echoed.traceparent[0].split('-')[1]).toBe(got.split('-')[1]);
  });
});
