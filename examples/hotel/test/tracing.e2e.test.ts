import 'reflect-metadata';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createClient, createLogger, type App, type MeshClient } from '@natsmesh/core';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import type { BookingService } from '../src/booking/booking.service';
import { createHotelApp } from '../src/hotel-app';

/** Polls until `check` holds, or fails with `what`. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

// Issue 12's acceptance: client → hotel.booking.save → ctx.request hotel.rooms.reserve →
// ctx.emit app.booking.save → the compliance subscriber, recorded by the SDK in memory.
describe('the hotel traced end to end', () => {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let nats: NatsServerHandle;
  let app: App;
  let desk: MeshClient;

  beforeAll(async () => {
    nats = await startNatsServer();
    app = await createHotelApp({ nats: { servers: nats.url }, logger: createLogger({ level: 'silent' }), tracing: { tracerProvider } });
    await app.start();
    desk = await createClient({ nats: { servers: nats.url }, tracing: { tracerProvider } });
  });

  afterAll(async () => {
    await desk?.close();
    await app?.stop();
    await nats?.stop();
    await tracerProvider.shutdown();
  });

  beforeEach(() => exporter.reset());

  const spans = () => exporter.getFinishedSpans();
  const named = (name: string, kind: SpanKind) => {
    const found = spans().filter((s) => s.name === name && s.kind === kind);
    expect(found.map((s) => s.name)).toEqual([name]);
    return found[0];
  };
  const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

  it('makes one trace with the right parents, kinds and messaging attributes', async () => {
    const booking = desk.service<BookingService>('hotel.booking');
    await booking.save({ guest: 'Ann', room: 101, nights: 3 });
    // Compliance audits app.payments.save too (the charge emits it): pick the booking's.
    const audited = () => spans().find((s) => s.name === 'process app.*.save' && s.attributes['natsmesh.service'] === 'hotel.compliance' && s.attributes['messaging.destination.name'] === 'app.booking.save');
    await until(() => audited() !== undefined, 'the compliance span');

    const call = named('send hotel.booking.save', SpanKind.CLIENT);
    const save = named('process hotel.booking.save', SpanKind.SERVER);
    const reserveCall = named('send hotel.rooms.reserve', SpanKind.CLIENT);
    const reserve = named('process hotel.rooms.reserve', SpanKind.SERVER);
    const publish = named('publish app.booking.save', SpanKind.PRODUCER);
    const audit = audited()!;

    const traceId = call.spanContext().traceId;
    expect(new Set(spans().map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
    expect(parentOf(call)).toBeUndefined();
    expect(parentOf(save)).toBe(call.spanContext().spanId);
    expect(parentOf(reserveCall)).toBe(save.spanContext().spanId);
    expect(parentOf(reserve)).toBe(reserveCall.spanContext().spanId);
    expect(parentOf(publish)).toBe(save.spanContext().spanId);
    expect(audit.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(audit)).toBe(publish.spanContext().spanId);
    expect(audit.links.map((l) => l.context.spanId)).toContain(publish.spanContext().spanId);

    expect(save.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'hotel.booking.save',
      'messaging.operation.type': 'process',
      'natsmesh.service': 'hotel.booking',
      'natsmesh.endpoint': 'save',
    });
    expect(save.attributes['messaging.consumer.group.name']).toEqual(expect.any(String));
    expect(save.attributes['messaging.message.body.size']).toBeGreaterThan(0);
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': 'app.booking.save' });
    expect(audit.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'app.booking.save',
      'messaging.destination.template': 'app.*.save',
      'natsmesh.service': 'hotel.compliance',
    });
    for (const s of [call, save, reserveCall, reserve, publish, audit]) expect(s.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('marks a failed call with error status and its code, on both sides', async () => {
    const booking = desk.service<BookingService>('hotel.booking');
    expect(await catchMeshError(booking.save({ guest: '', room: 0, nights: 45 }))).toMatchObject({ code: 'VALIDATION_FAILED' });
    await until(() => spans().length >= 2, 'both spans');
    for (const s of [named('send hotel.booking.save', SpanKind.CLIENT), named('process hotel.booking.save', SpanKind.SERVER)]) {
      expect(s.status.code).toBe(SpanStatusCode.ERROR);
      expect(s.attributes['error.type']).toBe('VALIDATION_FAILED');
    }
  });
});
