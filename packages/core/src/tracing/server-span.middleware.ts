import type { Attributes, Context as OtelContext, Link, Span } from '@opentelemetry/api';
import type { EventContext, HandleContext, Middleware, Next } from '../middleware/middleware';
import type { MessageContext } from '../middleware/message-context';
import { finishSpan } from './finish-span';
import type { MeshTracing } from './mesh-tracing';
import { headersGetter } from './msg-headers-carrier';

/** What every SERVER and CONSUMER span says, per the OpenTelemetry messaging semantic conventions. */
const PROCESS_ATTRIBUTES: Attributes = Object.freeze({
  'messaging.system': 'nats',
  'messaging.operation.type': 'process',
  'messaging.operation.name': 'process',
});

/**
 * Built-in `handle` middleware of every endpoint when tracing is on, outermost: a SERVER span
 * `process <subject>` per request, child of the caller's span when the request carries a
 * `traceparent` (natsmesh's client, or any NATS client that sends one). The rest of the pipeline
 * runs inside the span's context, and `ctx.request`/`ctx.emit` are given it explicitly.
 */
export class EndpointSpans implements Middleware {
  readonly name = 'tracing';
  private readonly spanName: string;
  private readonly attributes: Attributes;

  constructor(
    private readonly tracing: MeshTracing,
    service: string,
    endpoint: string,
    subject: string,
    queue: string,
  ) {
    this.spanName = `process ${subject}`;
    this.attributes = {
      ...PROCESS_ATTRIBUTES,
      'messaging.consumer.group.name': queue,
      'natsmesh.service': service,
      'natsmesh.endpoint': endpoint,
    };
  }

  handle(ctx: HandleContext, next: Next): unknown {
    const parent = this.tracing.extract(ctx.headers, headersGetter);
    return runInSpan(this.tracing, ctx, parent, this.spanName, this.tracing.api.SpanKind.SERVER, this.attributes, undefined, next);
  }
}

/**
 * Built-in `event` middleware of every `@On` handler (plain and durable) when tracing is on,
 * outermost: a CONSUMER span `process <pattern>` per delivery. The producer's span is its parent
 * and is linked too (a durable event may be delivered long after, and more than once).
 */
export class EventSpans implements Middleware {
  readonly name = 'tracing';
  private readonly spanName: string;
  private readonly attributes: Attributes;

  constructor(
    private readonly tracing: MeshTracing,
    service: string,
    handler: string,
    pattern: string,
    group: string | undefined,
  ) {
    this.spanName = `process ${pattern}`;
    this.attributes = {
      ...PROCESS_ATTRIBUTES,
      'messaging.destination.template': pattern,
      ...(group === undefined ? {} : { 'messaging.consumer.group.name': group }),
      'natsmesh.service': service,
      'natsmesh.handler': handler,
    };
  }

  event(ctx: EventContext, next: Next): unknown {
    const api = this.tracing.api;
    const parent = this.tracing.extract(ctx.headers, headersGetter);
    const producer = api.trace.getSpanContext(parent);
    const links: Link[] | undefined = producer === undefined ? undefined : [{ context: producer }];
    return runInSpan(this.tracing, ctx, parent, this.spanName, api.SpanKind.CONSUMER, this.attributes, links, next);
  }
}

function runInSpan(tracing: MeshTracing, ctx: MessageContext, parent: OtelContext, name: string, kind: number, fixed: Attributes, links: Link[] | undefined, next: Next): unknown {
  const api = tracing.api;
  const span: Span = tracing.tracer.startSpan(
    name,
    { kind, links, attributes: { ...fixed, 'messaging.destination.name': ctx.subject, 'messaging.message.body.size': ctx.data.length } },
    parent,
  );
  const active = api.trace.setSpan(parent, span);
  const sc = span.spanContext();
  ctx.traceContext = active;
  ctx.traceSpan = span;
  if (api.isSpanContextValid(sc)) ctx.traceFields = { trace_id: sc.traceId, span_id: sc.spanId };
  return finishSpan(api, span, () => api.context.with(active, next));
}
