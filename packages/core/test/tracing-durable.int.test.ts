import 'reflect-metadata';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createApp, On, Service, type Context } from '@natsmesh/core';
import { useJetStreamServer } from './jetstream-server';
import { quietLogger } from './quiet-logger';
import { until } from './until';

const failures: string[] = [];

@Service('trd.audit')
class AuditService {
  @On('trd.booking.*', { durable: 'trd-audit', maxDeliver: 1 })
  record(input: { fail?: boolean }, ctx: Context) {
    if (input.fail === true) {
      failures.push(ctx.subject);
      throw new Error('audit store down');
    }
  }
}

describe('tracing of durable events', () => {
  const js = useJetStreamServer();

  it('gives the consumer span the producer span as parent and as a link, and the route\'s lines its ids', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const logs: Record<string, unknown>[] = [];
    const app = await createApp({ services: [AuditService], nats: { servers: js.server.url }, logger: quietLogger(logs), discovery: false, tracing: { tracerProvider: provider } });
    await app.start();
    try {
      await app.client.emit('trd.booking.made', { fail: false }, { durable: true });
      await until(() => exporter.getFinishedSpans().some((s) => s.name === 'process trd.booking.*'), 'the consumer span');
      const publish = exporter.getFinishedSpans().find((s) => s.name === 'publish trd.booking.made')!;
      const consume = exporter.getFinishedSpans().find((s) => s.name === 'process trd.booking.*')!;
      expect(publish.kind).toBe(SpanKind.PRODUCER);
      expect(consume.kind).toBe(SpanKind.CONSUMER);
      expect(consume.spanContext().traceId).toBe(publish.spanContext().traceId);
      expect(consume.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
      expect(consume.links.map((l) => l.context.spanId)).toEqual([publish.spanContext().spanId]);
      expect(consume.attributes).toMatchObject({
        'messaging.destination.name': 'trd.booking.made',
        'messaging.destination.template': 'trd.booking.*',
        'messaging.consumer.group.name': 'trd-audit',
        'natsmesh.handler': 'record',
      });

      exporter.reset();
      await app.client.emit('trd.booking.lost', { fail: true }, { durable: true });
      await until(() => logs.some((l) => l.msg === 'durable event handler gave up; the event went to the dead-letter subject'), 'the dead-letter line');
      const failed = exporter.getFinishedSpans().find((s) => s.name === 'process trd.booking.*')!;
      expect(failed.attributes['error.type']).toBe('INTERNAL');
      const line = logs.find((l) => l.msg === 'durable event handler gave up; the event went to the dead-letter subject');
      expect(line).toMatchObject({ trace_id: failed.spanContext().traceId, span_id: failed.spanContext().spanId, service: 'trd.audit', endpoint: 'record', instanceId: app.instanceId });
    } finally {
      await app.stop();
      await provider.shutdown();
    }
  });
});
