import { Match, type MsgHdrs } from 'nats';
import type { Context as OtelContext, SpanKind } from '@opentelemetry/api';
import type { CallContext } from '../middleware/call-context';
import type { EmitContext } from '../middleware/emit-context';
import type { Middleware, Next } from '../middleware/middleware';
import { finishSpan } from './finish-span';
import type { MeshTracing } from './mesh-tracing';
import { headersSetter } from './msg-headers-carrier';
import { traceParentOf } from './trace-parent';

/** The W3C Trace Context headers, replaced by each CLIENT or PRODUCER span's own. */
const TRACE_CONTEXT_FIELDS = ['traceparent', 'tracestate'];

/**
 * Built-in `call` and `emit` middleware of a client when tracing is on, outermost (outside the
 * user's middleware and the built-in policies): one CLIENT span `send <subject>` per request,
 * however many attempts the retry policy makes inside it, and one PRODUCER span
 * `publish <subject>` per event, its context written into the message's headers. The parent is
 * the active span (a context manager is registered), else the handler's span for
 * `ctx.request`/`ctx.emit` (handed over explicitly), else none.
 */
export class ClientSpans implements Middleware {
  readonly name = 'tracing';

  constructor(private readonly tracing: MeshTracing) {}

  call(ctx: CallContext, next: Next): unknown {
    const size = ctx.payload.length;
    return this.run(ctx.headers, traceParentOf(ctx.options), `send ${ctx.subject}`, this.tracing.api.SpanKind.CLIENT, ctx.subject, 'send', 'send', size, next, ctx);
  }

  emit(ctx: EmitContext, next: Next): unknown {
    const size = (ctx.payload ?? ctx.durableEvent?.payload)?.length ?? 0;
    return this.run(ctx.headers, traceParentOf(ctx.options), `publish ${ctx.subject}`, this.tracing.api.SpanKind.PRODUCER, ctx.subject, 'send', 'publish', size, next);
  }

  private run(headers: MsgHdrs, given: unknown, name: string, kind: SpanKind, subject: string, type: string, operation: string, size: number, next: Next, call?: CallContext): unknown {
    const api = this.tracing.api;
    // With a context manager the active context is the handler's span or one the user's code started inside it: the nearer parent.
    const current = api.context.active();
    const parent = given === undefined || api.trace.getSpan(current) !== undefined ? current : (given as OtelContext);
    const span = this.tracing.tracer.startSpan(
      name,
      {
        kind,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': subject,
          'messaging.operation.type': type,
          'messaging.operation.name': operation,
          'messaging.message.body.size': size,
        },
      },
      parent,
    );
    const active = api.trace.setSpan(parent, span);
    if (call !== undefined) call.traceSpan = span;
    // ctx.request forwards the incoming headers: their trace context must not go on in place of this
    // span's. Only that is removed: other fields of the propagator (baggage) are the caller's to send,
    // and inject() replaces those it writes from the active context.
    for (const field of TRACE_CONTEXT_FIELDS) headers.delete(field, Match.IgnoreCase);
    this.tracing.inject(active, headers, headersSetter);
    return finishSpan(api, span, () => api.context.with(active, next));
  }
}
