import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { startNatsServer, catchMeshError, type NatsServerHandle } from '@natsmesh/testing';
import {
  createApp,
  createClient,
  Handle,
  MeshError,
  On,
  Service,
  type App,
  type CallContext,
  type Context,
  type EmitContext,
  type MeshClient,
  type Middleware,
  type Next,
} from '@natsmesh/core';
import { quietLogger } from './quiet-logger';
import { useJetStreamServer } from './jetstream-server';
import { until } from './until';

const seen = { echo: 0, flaky: 0 };
let flakyFailures = 0;
const events: { subject: string; tag: string | null }[] = [];

@Service('cmw.svc')
class EchoService {
  @Handle('echo')
  echo(input: unknown, ctx: Context) {
    seen.echo++;
    return { input, tag: ctx.headers?.get('x-tag') || null };
  }

  @Handle('flaky')
  flaky() {
    seen.flaky++;
    if (flakyFailures-- > 0) throw new MeshError('UNAVAILABLE', 'try again');
    return 'ok';
  }

  @Handle('front')
  front(_input: unknown, ctx: Context) {
    return ctx.request('cmw.svc.echo', 'inner', { middleware: [tagging('from-ctx-request')] });
  }

  @On('cmw.evt.*')
  onEvent(_evt: unknown, ctx: Context) {
    events.push({ subject: ctx.subject, tag: ctx.headers?.get('x-tag') || null });
  }
}

/** A `call` middleware that records when it is entered and left. */
function tracing(name: string, trace: string[]): Middleware {
  return {
    name,
    async call(_ctx: CallContext, next: Next) {
      trace.push(`${name}>`);
      try {
        return await next();
      } finally {
        trace.push(`${name}<`);
      }
    },
  };
}

function tagging(tag: string): Middleware {
  return {
    call(ctx: CallContext, next: Next) {
      ctx.headers.set('x-tag', tag);
      return next();
    },
  };
}

describe('client middleware (call and emit pipelines)', () => {
  let server: NatsServerHandle;
  let app: App;
  const clients: MeshClient[] = [];
  const client = async (options: Parameters<typeof createClient>[0] = {}) => {
    const c = await createClient({ nats: { servers: server.url }, timeout: 3000, ...options });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: [EchoService], nats: { servers: server.url }, logger: quietLogger(), discovery: false });
    await app.start();
  });

  afterAll(async () => {
    for (const c of clients) await c.close();
    await app?.stop();
    await server?.stop();
  });

  it('runs client-wide middleware in the order given, then per-call middleware, and unwinds in reverse', async () => {
    const trace: string[] = [];
    const c = await client({ middleware: [tracing('a', trace), tracing('b', trace)] });
    const reply = await c.request('cmw.svc.echo', 1, { middleware: [tracing('c', trace)] });
    expect(reply).toEqual({ input: 1, tag: null });
    expect(trace).toEqual(['a>', 'b>', 'c>', 'c<', 'b<', 'a<']);
  });

  it('resolves with the value of a middleware that short-circuits, and sends nothing', async () => {
    const before = seen.echo;
    const cache: Middleware = { call: () => ({ cached: true }) };
    const c = await client({ middleware: [cache] });
    await expect(c.request('cmw.svc.echo', 1)).resolves.toEqual({ cached: true });
    const plain = await client();
    await expect(plain.request('cmw.svc.echo', 2, { middleware: [cache] })).resolves.toEqual({ cached: true });
    await expect(plain.request('cmw.svc.echo', 3)).resolves.toEqual({ input: 3, tag: null });
    expect(seen.echo).toBe(before + 1);
  });

  it('sends the headers a middleware sets', async () => {
    const c = await client({ middleware: [tagging('client-wide')] });
    await expect(c.request('cmw.svc.echo', 1)).resolves.toEqual({ input: 1, tag: 'client-wide' });
    // A per-call middleware runs inside the client's, so it has the last word.
    await expect(c.request('cmw.svc.echo', 2, { middleware: [tagging('per-call')], timeout: 2000 })).resolves.toEqual({ input: 2, tag: 'per-call' });
    // The caller's headers are copied, never changed.
    const mine = { 'x-tag': 'caller' };
    await expect(c.request('cmw.svc.echo', 3, { headers: mine })).resolves.toEqual({ input: 3, tag: 'client-wide' });
    expect(mine).toEqual({ 'x-tag': 'caller' });
  });

  it('rejects with the MeshError a middleware throws, without sending', async () => {
    const before = seen.echo;
    const deny: Middleware = {
      call() {
        throw new MeshError('FORBIDDEN', 'not you');
      },
    };
    const c = await client({ middleware: [deny] });
    expect((await catchMeshError(c.request('cmw.svc.echo', 1))).code).toBe('FORBIDDEN');
    const asyncDeny: Middleware = { call: async () => Promise.reject(new MeshError('RATE_LIMITED', 'slow down')) };
    expect((await catchMeshError(c.request('cmw.svc.echo', 1, { middleware: [asyncDeny] }))).code).toBe('FORBIDDEN');
    const plain = await client();
    expect((await catchMeshError(plain.request('cmw.svc.echo', 1, { middleware: [asyncDeny] }))).code).toBe('RATE_LIMITED');
    expect(seen.echo).toBe(before);
  });

  it('runs user middleware once around all the attempts of a call with a retry policy', async () => {
    let calls = 0;
    const counting: Middleware = {
      call(_ctx: CallContext, next: Next) {
        calls++;
        return next();
      },
    };
    const c = await client({ middleware: [counting] });
    flakyFailures = 2;
    seen.flaky = 0;
    await expect(c.request('cmw.svc.flaky', {}, { retry: { attempts: 3, initialDelay: 1, maxDelay: 5 } })).resolves.toBe('ok');
    expect(calls).toBe(1);
    expect(seen.flaky).toBe(3);
  });

  it('lets a middleware call next() more than once', async () => {
    const retryOnce: Middleware = {
      async call(_ctx: CallContext, next: Next) {
        try {
          return await next();
        } catch {
          return next();
        }
      },
    };
    const c = await client({ middleware: [retryOnce] });
    flakyFailures = 1;
    seen.flaky = 0;
    await expect(c.request('cmw.svc.flaky', {})).resolves.toBe('ok');
    expect(seen.flaky).toBe(2);
  });

  it('runs per-call middleware given to ctx.request inside a handler', async () => {
    const c = await client();
    await expect(c.request('cmw.svc.front', {})).resolves.toEqual({ input: 'inner', tag: 'from-ctx-request' });
  });

  it('rejects a call whose per-call middleware is not a list of objects with a call hook', async () => {
    const c = await client();
    for (const bad of [[42], 'x', [{}], [{ emit: () => undefined }]]) {
      expect((await catchMeshError(c.request('cmw.svc.echo', 1, { middleware: bad as never }))).code).toBe('INVALID_OPTIONS');
    }
  });

  it('builds middleware classes through dependency injection', async () => {
    @injectable()
    class Stamp {
      value() {
        return 'stamped';
      }
    }
    @injectable()
    class Stamping implements Middleware {
      constructor(private readonly stamp: Stamp) {}
      call(ctx: CallContext, next: Next) {
        ctx.headers.set('x-tag', this.stamp.value());
        return next();
      }
    }
    const c = await client({ middleware: [Stamping] });
    await expect(c.request('cmw.svc.echo', 1)).resolves.toEqual({ input: 1, tag: 'stamped' });
  });

  it('refuses createClient middleware that is not a list of middleware', async () => {
    for (const bad of [[42], 'x']) {
      expect((await catchMeshError(createClient({ nats: { servers: server.url }, middleware: bad as never }))).code).toBe('INVALID_OPTIONS');
    }
  });

  it('sends the headers an emit middleware sets with a plain event, synchronously', async () => {
    const stamping: Middleware = {
      emit(ctx: EmitContext, next: Next) {
        ctx.headers.set('x-tag', ctx.durable ? 'durable' : 'plain');
        return next();
      },
    };
    const c = await client({ middleware: [stamping] });
    expect(c.emit('cmw.evt.wide', {})).toBeUndefined();
    const plain = await client();
    expect(plain.emit('cmw.evt.per', {}, { middleware: [stamping] })).toBeUndefined();
    await until(() => events.length >= 2, 'two events');
    expect(events.sort((x, y) => x.subject.localeCompare(y.subject))).toEqual([
      { subject: 'cmw.evt.per', tag: 'plain' },
      { subject: 'cmw.evt.wide', tag: 'plain' },
    ]);
    const deny: Middleware = {
      emit() {
        throw new MeshError('FORBIDDEN', 'not this event');
      },
    };
    expect(() => plain.emit('cmw.evt.denied', {}, { middleware: [deny] })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => plain.emit('cmw.evt.denied', {}, { middleware: [{ call: (_c: CallContext, n: Next) => n() }] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

/** A `call` or `emit` middleware whose promise never settles. */
const hanging: Middleware = { name: 'hanging', call: () => new Promise(() => undefined) };

@Service('cmw.emitter')
class EmitterService {
  @Handle('go')
  go(_input: unknown, ctx: Context) {
    ctx.emit('cmw.emitter.audit', {});
    return 'replied';
  }
}

describe('client middleware failures', () => {
  let server: NatsServerHandle;
  const clients: MeshClient[] = [];
  const client = async (options: Parameters<typeof createClient>[0] = {}) => {
    const c = await createClient({ nats: { servers: server.url }, timeout: 3000, ...options });
    clients.push(c);
    return c;
  };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  // Node reports an unhandled rejection once the microtasks have run: a macrotask later it is known.
  const settle = () => new Promise((r) => setImmediate(r)).then(() => new Promise((r) => setImmediate(r)));

  beforeAll(async () => {
    server = await startNatsServer();
    process.on('unhandledRejection', onUnhandled);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    for (const c of clients) await c.close();
    await server?.stop();
  });

  beforeEach(() => {
    unhandled.length = 0;
  });

  it('does not crash on a plain emit whose async middleware rejects, and reports the failure nobody awaited', async () => {
    const failing: Middleware = {
      name: 'failing',
      async emit() {
        throw new MeshError('FORBIDDEN', 'async no emit');
      },
    };
    const c = await client();
    const dropped: { err: unknown; subject: string }[] = [];
    c.onDroppedEmitFailure = (err, subject) => dropped.push({ err, subject });
    c.emit('cmw.fail.dropped', {}, { middleware: [failing] });
    await until(() => dropped.length === 1, 'the dropped emit failure');
    expect(dropped[0].subject).toBe('cmw.fail.dropped');
    expect(dropped[0].err).toEqual(expect.objectContaining({ code: 'FORBIDDEN' }));
    await settle();
    expect(unhandled).toEqual([]);

    // Whoever awaits the emit gets the failure, as a MeshError, and it is not reported as dropped.
    const awaited = c.emit('cmw.fail.awaited', {}, { middleware: [failing] }) as unknown as Promise<unknown>;
    expect((await catchMeshError(awaited)).code).toBe('FORBIDDEN');
    const rejecter: Middleware = { emit: () => Promise.reject(42) };
    const err = await catchMeshError(c.emit('cmw.fail.awaited', {}, { middleware: [rejecter] }) as unknown as Promise<unknown>);
    expect(err.code).toBe('INTERNAL');
    expect(err.cause).toBe(42);
    await settle();
    expect(dropped).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('does not crash a service whose app-wide async emit hook rejects during ctx.emit, and logs the lost event', async () => {
    const audit: Middleware = {
      name: 'audit',
      async emit() {
        throw new MeshError('UNAVAILABLE', 'audit store down');
      },
    };
    const logs: Record<string, unknown>[] = [];
    const app = await createApp({ services: [EmitterService], nats: { servers: server.url }, logger: quietLogger(logs), discovery: false, middleware: [audit] });
    await app.start();
    const c = await client();
    try {
      await expect(c.request('cmw.emitter.go', {})).resolves.toBe('replied');
      await settle();
      expect(unhandled).toEqual([]);
      expect(logs.filter((l) => l.level === 40 && String(l.msg).startsWith('event not emitted'))).toEqual([
        expect.objectContaining({ subject: expect.any(String), err: expect.objectContaining({ message: 'audit store down' }) }),
      ]);
    } finally {
      await c.close();
      await app.stop();
    }
  });

  it('rejects with TIMEOUT when client-wide or per-call middleware does not finish within the call timeout', async () => {
    const c = await client({ middleware: [hanging] });
    const wide = await catchMeshError(c.request('cmw.fail.nobody', {}, { timeout: 50 }));
    expect(wide.code).toBe('TIMEOUT');
    expect(wide.message).toMatch(/middleware or the request did not finish within 50 ms/);
    const plain = await client({ timeout: 60 });
    const perCall = await catchMeshError(plain.request('cmw.fail.nobody', {}, { middleware: [hanging] }));
    expect(perCall.code).toBe('TIMEOUT');
    expect(perCall.message).toMatch(/within 60 ms/);
  });

  it('rejects a durable emit with TIMEOUT when its emit middleware does not finish within the emit timeout', async () => {
    const stuck: Middleware = { name: 'stuck', emit: () => new Promise(() => undefined) };
    const c = await client();
    const err = await catchMeshError(c.emit('cmw.fail.evt', {}, { durable: true, timeout: 50, middleware: [stuck] }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/middleware or the publish did not finish within 50 ms/);
  });

  it('turns whatever a call middleware throws or rejects with into a MeshError', async () => {
    const c = await client();
    const thrower: Middleware = {
      call() {
        throw 'str';
      },
    };
    const rejecter: Middleware = { call: () => Promise.reject(42) };
    const badHeader: Middleware = {
      call(ctx: CallContext, next: Next) {
        ctx.headers.set('Bad Name', 'x');
        return next();
      },
    };
    const thrown = await catchMeshError(c.request('cmw.fail.nobody', {}, { middleware: [thrower] }));
    expect([thrown.code, thrown.cause]).toEqual(['INTERNAL', 'str']);
    const rejected = await catchMeshError(c.request('cmw.fail.nobody', {}, { middleware: [rejecter] }));
    expect([rejected.code, rejected.cause]).toEqual(['INTERNAL', 42]);
    expect((await catchMeshError(c.request('cmw.fail.nobody', {}, { middleware: [badHeader] }))).code).toBe('BAD_REQUEST');
    const wide = await client({ middleware: [thrower] });
    expect((await catchMeshError(wide.request('cmw.fail.nobody', {}))).code).toBe('INTERNAL');
  });

  it('turns what a fallback function throws into a MeshError', async () => {
    const c = await client();
    const err = await catchMeshError(
      c.request('cmw.fail.nobody', {}, {
        fallback: () => {
          throw 'no fallback either';
        },
      }),
    );
    expect([err.code, err.cause]).toEqual(['INTERNAL', 'no fallback either']);
  });

  it('turns whatever an emit middleware throws or rejects with into a MeshError, plain or durable', async () => {
    const c = await client();
    const thrower: Middleware = {
      emit() {
        throw 'str';
      },
    };
    const badHeader: Middleware = {
      emit(ctx: EmitContext, next: Next) {
        ctx.headers.set('Bad Name', 'x');
        return next();
      },
    };
    const rejecter: Middleware = { emit: () => Promise.reject(42) };
    expect(() => c.emit('cmw.fail.evt', {}, { middleware: [thrower] })).toThrow(expect.objectContaining({ code: 'INTERNAL', cause: 'str' }));
    expect(() => c.emit('cmw.fail.evt', {}, { middleware: [badHeader] })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    const durable = await catchMeshError(c.emit('cmw.fail.evt', {}, { durable: true, middleware: [rejecter] }));
    expect([durable.code, durable.cause]).toEqual(['INTERNAL', 42]);
    expect((await catchMeshError(c.emit('cmw.fail.evt', {}, { durable: true, middleware: [thrower] }))).code).toBe('INTERNAL');
  });

  it('refuses createClient middleware with only server hooks, naming the entry', async () => {
    const serverOnly = { name: 'serverOnly', handle: (_c: unknown, n: Next) => n() };
    const err = await catchMeshError(createClient({ nats: { servers: server.url }, middleware: [serverOnly] }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toMatch(/createClient option middleware\[0\] \(serverOnly\).*createApp.*@Use/);
    const both = await client({ middleware: [{ name: 'both', handle: (_c: unknown, n: Next) => n(), call: (_c: CallContext, n: Next) => n() }] });
    expect(both).toBeDefined();
  });

  it('says "an emit hook" for a bad per-emit middleware option', async () => {
    const c = await client();
    expect(() => c.emit('cmw.fail.evt', {}, { middleware: 'x' as never })).toThrow(/an emit hook/);
    expect(() => c.emit('cmw.fail.evt', {}, { middleware: [{}] as never })).toThrow(/an emit\(ctx, next\) hook/);
  });
});

const durableTags: string[] = [];

@Service('cmw.durable')
class DurableListener {
  @On('cmw.dur.evt', { durable: 'cmw-dur' })
  onEvent(_evt: unknown, ctx: Context) {
    durableTags.push(ctx.headers?.get('x-tag') || '');
  }
}

describe('client emit middleware with durable events', () => {
  const js = useJetStreamServer();
  const order: string[] = [];

  it('sends the headers an emit middleware sets and resolves with the ack through the chain', async () => {
    const stamping: Middleware = {
      async emit(ctx: EmitContext, next: Next) {
        order.push('wide>');
        ctx.headers.set('x-tag', ctx.durable ? 'durable' : 'plain');
        const ack = await next();
        order.push('wide<');
        return ack;
      },
    };
    const perEmit: Middleware = {
      emit(_ctx: EmitContext, next: Next) {
        order.push('per>');
        return next();
      },
    };
    // Closed here, before the fixture stops the server: a client left open would keep reconnecting.
    const app = await js.boot([DurableListener]);
    await app.start();
    const client = await createClient({ nats: { servers: js.server.url }, middleware: [stamping] });
    try {
      const ack = await client.emit('cmw.dur.evt', { n: 1 }, { durable: true, id: 'cmw-1', middleware: [perEmit] });
      expect(ack).toEqual(expect.objectContaining({ id: 'cmw-1', duplicate: false }));
      expect(ack.seq).toBeGreaterThan(0);
      expect(order).toEqual(['wide>', 'per>', 'wide<']);
      await until(() => durableTags.length === 1, 'the durable event');
      expect(durableTags).toEqual(['durable']);
    } finally {
      await client.close();
      await app.stop();
    }
  });
});
