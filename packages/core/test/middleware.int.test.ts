import 'reflect-metadata';
import { IsInt, Min } from 'class-validator';
import { headers as natsHeaders, type Msg } from 'nats';
import { injectable } from 'tsyringe';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  createApp,
  createClient,
  DEAD_LETTER_HEADERS,
  ERROR_CODE_HEADER,
  ERROR_HEADER,
  Handle,
  MeshError,
  On,
  Service,
  Use,
  refusal,
  type App,
  type Context,
  type EventContext,
  type HandleContext,
  type MeshClient,
  type Middleware,
  type Next,
} from '@natsmesh/core';
import { hosting } from './hosting';
import { quietLogger } from './quiet-logger';
import { useJetStreamServer } from './jetstream-server';
import { until } from './until';

const trace: string[] = [];
let ran = 0;

/** Records its way in and out of the onion: out when what is inside has settled. */
function tracer(name: string): Middleware {
  return {
    name,
    handle(_ctx: HandleContext, next: Next) {
      trace.push(`${name}>`);
      const out = next();
      if (!(out instanceof Promise)) {
        trace.push(`<${name}`);
        return out;
      }
      return out.then((v) => {
        trace.push(`<${name}`);
        return v;
      });
    },
    event(_ctx: EventContext, next: Next) {
      trace.push(`${name}>`);
      const out = next();
      trace.push(`<${name}`);
      return out;
    },
  };
}

class LibraryError extends Error {
  constructor(readonly sqlState: string) {
    super(`duplicate key value violates unique constraint (${sqlState})`);
  }
}

@injectable()
class Staff {
  readonly names = new Set(['ann']);
}

/** A guard built by dependency injection: it injects Staff. */
@injectable()
class StaffOnly implements Middleware {
  constructor(private readonly staff: Staff) {}

  canActivate(ctx: HandleContext | EventContext): boolean {
    const user = ctx.headers?.get('X-User') ?? '';
    ctx.state.user = user;
    return this.staff.names.has(user);
  }
}

class AsyncDeny implements Middleware {
  readonly name = 'async-deny';

  async canActivate(): Promise<boolean> {
    await new Promise((r) => setTimeout(r, 5));
    return false;
  }
}

const cache = new Map<number, unknown>([[7, { room: 7, cached: true }]]);

class RoomQuery {
  @IsInt() @Min(1) room!: number;
}

@Service('mw.rooms')
@Use(tracer('service'))
class RoomService {
  @Handle('get')
  @Use(tracer('handler'))
  get(input: RoomQuery) {
    ran++;
    trace.push('handler');
    return { room: input.room };
  }

  @Handle('slow')
  @Use({
    name: 'handler',
    async handle(_ctx: HandleContext, next: Next) {
      trace.push('handler>');
      const v = await next();
      trace.push('<handler');
      return v;
    },
  })
  async slow(input: RoomQuery) {
    ran++;
    trace.push('handler');
    await new Promise((r) => setTimeout(r, 5));
    return { room: input.room };
  }

  @Handle('cancel')
  @Use(StaffOnly)
  cancel(input: RoomQuery, ctx: Context) {
    ran++;
    return { cancelled: input.room, by: ctx.state.user };
  }

  @Handle('never')
  @Use(new AsyncDeny())
  never() {
    ran++;
    return 'ran';
  }

  @Handle('sloppy')
  @Use({ name: 'returns-user', canActivate: () => ({ user: 'ann' }) as unknown as boolean })
  sloppy() {
    ran++;
    return 'ran';
  }

  @Handle('cached')
  @Use({
    name: 'cache',
    handle(ctx: HandleContext, next: Next) {
      const hit = cache.get((ctx.input as RoomQuery).room);
      if (hit !== undefined) {
        ctx.replyHeaders.set('X-Cache', 'hit');
        return hit;
      }
      ctx.replyHeaders.set('X-Cache', 'miss');
      return next();
    },
  })
  cached(input: RoomQuery) {
    ran++;
    return { room: input.room, cached: false };
  }

  @Handle('book')
  @Use({
    name: 'sql-errors',
    error(_ctx: HandleContext | EventContext, err: unknown) {
      if (err instanceof LibraryError && err.sqlState === '23505') throw new MeshError('CONFLICT', 'The room is booked already: pick another one.', { room: 3 });
      return undefined;
    },
  })
  book(input: RoomQuery) {
    ran++;
    if (input.room === 3) throw new LibraryError('23505');
    if (input.room === 4) throw new LibraryError('08006');
    return { booked: input.room };
  }

  @Handle('shout')
  @Use({
    name: 'upper',
    before(ctx: HandleContext | EventContext) {
      const input = ctx.input as { room: number };
      ctx.input = { room: input.room * 10 };
    },
    after(_ctx: HandleContext | EventContext, result: unknown) {
      return { ...(result as object), after: true };
    },
  })
  shout(input: RoomQuery) {
    return { room: input.room };
  }
}

function request(h: { nc: import('nats').NatsConnection }, subject: string, body: unknown, headers?: Record<string, string>): Promise<Msg> {
  const hdrs = natsHeaders();
  for (const [k, v] of Object.entries(headers ?? {})) hdrs.set(k, v);
  return h.nc.request(subject, new TextEncoder().encode(JSON.stringify(body)), { timeout: 3000, headers: hdrs });
}

describe('handle middleware', () => {
  let server: NatsServerHandle;
  let app: App;
  let client: MeshClient;
  let nc: import('nats').NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({
      services: [RoomService],
      nats: { servers: server.url },
      logger: quietLogger(),
      discovery: false,
      middleware: [tracer('app')],
    });
    await app.start();
    client = await createClient({ nats: { servers: server.url }, timeout: 3000 });
    nc = client.connection;
  });

  afterAll(async () => {
    await client?.close();
    await app?.stop();
    await server?.stop();
  });

  beforeEach(() => {
    trace.length = 0;
    ran = 0;
  });

  it('runs app, service and handler middleware around the handler and unwinds in reverse', async () => {
    await expect(client.request('mw.rooms.get', { room: 2 })).resolves.toEqual({ room: 2 });
    expect(trace).toEqual(['app>', 'service>', 'handler>', 'handler', '<handler', '<service', '<app']);
  });

  it('keeps the order when a middleware and the handler are asynchronous', async () => {
    await expect(client.request('mw.rooms.slow', { room: 2 })).resolves.toEqual({ room: 2 });
    expect(trace).toEqual(['app>', 'service>', 'handler>', 'handler', '<handler', '<service', '<app']);
  });

  it('validates the input after the middleware ran, so a guard refuses before validation costs anything', async () => {
    const err = await catchMeshError(client.request('mw.rooms.get', { room: 0 }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(trace).toEqual(['app>', 'service>', 'handler>']);
    expect(ran).toBe(0);
  });

  it('a guard returning false answers FORBIDDEN (403) to a natsmesh client, and the handler never runs; ctx.state reaches the handler', async () => {
    const err = await catchMeshError(client.request('mw.rooms.cancel', { room: 2 }, { headers: { 'X-User': 'bob' } }));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.status).toBe(403);
    expect(err.message).toContain('StaffOnly');
    expect(ran).toBe(0);
    await expect(client.request('mw.rooms.cancel', { room: 2 }, { headers: { 'X-User': 'ann' } })).resolves.toEqual({ cancelled: 2, by: 'ann' });
    expect(ran).toBe(1);
  });

  it('a guard refusal reaches a plain nats.js client with the NATS Service API error headers', async () => {
    const reply = await request({ nc }, 'mw.rooms.cancel', { room: 2 });
    expect(reply.headers?.get(ERROR_CODE_HEADER)).toBe('403');
    expect(reply.headers?.get(ERROR_HEADER)).toContain('refused by the guard StaffOnly');
    expect(JSON.parse(new TextDecoder().decode(reply.data))).toMatchObject({ code: 'FORBIDDEN' });
    expect(ran).toBe(0);
  });

  it('an asynchronous guard that resolves false refuses too', async () => {
    expect((await catchMeshError(client.request('mw.rooms.never', {}))).code).toBe('FORBIDDEN');
    expect(ran).toBe(0);
  });

  it('a guard that answers something other than a boolean refuses, with an error that says so', async () => {
    const err = await catchMeshError(client.request('mw.rooms.sloppy', {}));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain('returns-user');
    expect(err.message).toContain('not a boolean');
    expect(ran).toBe(0);
  });

  it('a middleware short-circuits with a cached value and adds a reply header', async () => {
    const hit = await request({ nc }, 'mw.rooms.cached', { room: 7 });
    expect(JSON.parse(new TextDecoder().decode(hit.data))).toEqual({ room: 7, cached: true });
    expect(hit.headers?.get('X-Cache')).toBe('hit');
    expect(ran).toBe(0);
    const miss = await request({ nc }, 'mw.rooms.cached', { room: 8 });
    expect(JSON.parse(new TextDecoder().decode(miss.data))).toEqual({ room: 8, cached: false });
    expect(miss.headers?.get('X-Cache')).toBe('miss');
    expect(ran).toBe(1);
  });

  it('maps a library error to a MeshError code the caller sees, and lets other errors through', async () => {
    const conflict = await catchMeshError(client.request('mw.rooms.book', { room: 3 }));
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.status).toBe(409);
    expect(conflict.details).toEqual({ room: 3 });
    const other = await catchMeshError(client.request('mw.rooms.book', { room: 4 }));
    expect(other.code).toBe('INTERNAL');
    await expect(client.request('mw.rooms.book', { room: 5 })).resolves.toEqual({ booked: 5 });
  });

  it('an interceptor changes the input before validation and the result after the handler', async () => {
    await expect(client.request('mw.rooms.shout', { room: 2 })).resolves.toEqual({ room: 20, after: true });
  });

  it('a middleware that reads a malformed payload gets BAD_REQUEST, answered to the caller', async () => {
    const reply = await nc.request('mw.rooms.cached', new TextEncoder().encode('{nope'), { timeout: 3000 });
    expect(reply.headers?.get(ERROR_CODE_HEADER)).toBe('400');
    expect(reply.headers?.has('X-Cache')).toBe(false);
    expect(ran).toBe(0);
  });

  it('describe() lists the middleware of each handler, outermost first', () => {
    const [d] = app.describe();
    const byName = new Map(d.endpoints.map((e) => [e.name, e.middleware]));
    expect(byName.get('get')).toEqual(['app', 'service', 'handler']);
    expect(byName.get('cancel')).toEqual(['app', 'service', 'StaffOnly']);
    expect(byName.get('never')).toEqual(['app', 'service', 'async-deny']);
  });
});

describe('handle middleware that throws anything', () => {
  @Service('mw.odd')
  class OddService {
    @Handle('x')
    @Use({
      handle() {
        throw 'a string';
      },
    })
    x() {
      ran++;
      return 1;
    }

    @Handle('y')
    @Use({
      async handle() {
        throw undefined;
      },
    })
    y() {
      ran++;
      return 1;
    }
  }
  const h = hosting([OddService], { discovery: false });

  it('answers INTERNAL and keeps serving', async () => {
    ran = 0;
    expect((await catchMeshError(h.client.request('mw.odd.x', {}))).code).toBe('INTERNAL');
    expect((await catchMeshError(h.client.request('mw.odd.y', {}))).code).toBe('INTERNAL');
    expect((await catchMeshError(h.client.request('mw.odd.x', {}))).code).toBe('INTERNAL');
    expect(ran).toBe(0);
  });
});

describe('server middleware mistakes', () => {
  const steps: string[] = [];
  let release: () => void = () => undefined;

  @Service('mw.mistakes')
  class Mistakes {
    @Handle('twice')
    @Use({
      name: 'next-twice',
      handle(_ctx: HandleContext, next: Next) {
        next();
        return next();
      },
    })
    twice() {
      steps.push('twice ran');
      return 'ok';
    }

    @Handle('slow')
    @Use(
      {
        name: 'maps-every-error',
        error() {
          throw new MeshError('CONFLICT', 'mapped');
        },
      },
      {
      name: 'slow-lookup',
      async handle(_ctx: HandleContext, next: Next) {
        await new Promise<void>((r) => (release = r));
        steps.push('lookup done');
        try {
          return await next();
        } finally {
          steps.push('unwound');
        }
      },
      },
    )
    slow() {
      steps.push('slow ran');
      return 'late';
    }
  }
  const logs: Record<string, unknown>[] = [];
  const h = hosting([Mistakes], { logs });

  it('a middleware that calls next() twice gets an error, and the handler runs once', async () => {
    steps.length = 0;
    const err = await catchMeshError(h.client.request('mw.mistakes.twice', {}));
    expect(err.code).toBe('INTERNAL');
    expect(steps).toEqual(['twice ran']);
  });

  it('does not run the handler when the deadline passed while the middleware ran, and drops it quietly past error hooks', async () => {
    steps.length = 0;
    logs.length = 0;
    const err = await catchMeshError(h.client.request('mw.mistakes.slow', {}, { timeout: 50 }));
    expect(err.code).toBe('TIMEOUT');
    release();
    await until(() => steps.includes('unwound'), 'the middleware to unwind');
    expect(steps).toEqual(['lookup done', 'unwound']);
    const stats = JSON.parse(new TextDecoder().decode((await h.nc.request('$SRV.STATS.mw_mistakes', undefined, { timeout: 3000 })).data)) as {
      endpoints: { name: string; num_requests: number; data?: { expired?: number } }[];
    };
    expect(stats.endpoints.find((e) => e.name === 'slow')?.data?.expired).toBe(1);
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});

describe('a middleware that sheds load with refusal()', () => {
  let busy = true;
  @Service('mw.shed')
  @Use({
    name: 'shed',
    handle(_ctx: HandleContext, next: Next) {
      if (busy) throw refusal(new MeshError('UNAVAILABLE', 'Too busy: retry in a second.'));
      return next();
    },
  })
  class Shed {
    @Handle('x')
    x() {
      return 'ok';
    }
  }
  const logs: Record<string, unknown>[] = [];
  const h = hosting([Shed], { discovery: false, logs });

  it('answers the caller with its error and logs nothing, like the built-in rate limit', async () => {
    expect((await catchMeshError(h.client.request('mw.shed.x', {}))).code).toBe('UNAVAILABLE');
    expect(logs.filter((l) => (l.level as number) >= 40)).toEqual([]);
    busy = false;
    await expect(h.client.request('mw.shed.x', {})).resolves.toBe('ok');
  });
});

describe('built-in middleware', () => {
  @Service('mw.limited')
  class Limited {
    @Handle('hit', { rateLimit: { rate: 1, burst: 1 }, bulkhead: { concurrency: 2 } })
    @Use(tracer('mine'))
    hit() {
      return 'ok';
    }

    @Handle('plain')
    plain() {
      return 'ok';
    }
  }
  const h = hosting([Limited]);

  it('run outside the user middleware and are listed by describe() and $SRV.INFO', async () => {
    trace.length = 0;
    await expect(h.client.request('mw.limited.hit', {})).resolves.toBe('ok');
    const err = await catchMeshError(h.client.request('mw.limited.hit', {}));
    expect(err.code).toBe('RATE_LIMITED');
    // The refused request never reached the user's middleware.
    expect(trace).toEqual(['mine>', '<mine']);
    const [d] = h.app.describe();
    expect(d.endpoints.find((e) => e.name === 'hit')?.middleware).toEqual(['rateLimit', 'bulkhead', 'mine']);
    expect(d.endpoints.find((e) => e.name === 'plain')?.middleware).toBeUndefined();
    const info = JSON.parse(new TextDecoder().decode((await h.nc.request('$SRV.INFO.mw_limited', undefined, { timeout: 3000 })).data)) as {
      endpoints: { name: string; metadata: Record<string, string> }[];
    };
    expect(info.endpoints.find((e) => e.name === 'hit')?.metadata['natsmesh.middleware']).toBe('["rateLimit","bulkhead","mine"]');
  });
});

const events: string[] = [];

@Service('mw.events')
@Use({
  name: 'svc',
  event(ctx: EventContext, next: Next) {
    events.push(`svc:${ctx.subject}`);
    return next();
  },
})
class EventService {
  @On('mw.evt.*')
  @Use({
    name: 'own',
    event(ctx: EventContext, next: Next) {
      events.push(`own:${JSON.stringify(ctx.input)}`);
      return next();
    },
  })
  onEvt(evt: { n: number }) {
    events.push(`handler:${evt.n}`);
  }

  @On('mw.guarded')
  @Use(StaffOnly)
  onGuarded(evt: { n: number }) {
    events.push(`guarded:${evt.n}`);
  }
}

describe('event middleware', () => {
  const logs: Record<string, unknown>[] = [];
  const h = hosting([EventService], { discovery: false, logs });

  it('wraps an event handler: service, then handler middleware', async () => {
    events.length = 0;
    h.client.emit('mw.evt.a', { n: 1 });
    await until(() => events.length === 3, 'the event');
    expect(events).toEqual(['svc:mw.evt.a', 'own:{"n":1}', 'handler:1']);
  });

  it('a guard on an event handler skips events it refuses; the subscription goes on', async () => {
    events.length = 0;
    h.client.emit('mw.guarded', { n: 1 }, { headers: { 'X-User': 'bob' } });
    h.client.emit('mw.guarded', { n: 2 }, { headers: { 'X-User': 'ann' } });
    await until(() => events.includes('guarded:2'), 'the allowed event');
    expect(events).toEqual(['svc:mw.guarded', 'svc:mw.guarded', 'guarded:2']);
    // A refusal is the guard doing its job: a debug line, no error.
    expect(logs.filter((l) => l.msg === 'event refused by a guard; the subscription goes on').map((l) => l.level)).toEqual([20]);
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('describe() lists subscription middleware', () => {
    const [d] = h.app.describe();
    expect(d.subscriptions.find((s) => s.method === 'onEvt')?.middleware).toEqual(['svc', 'own']);
  });
});

describe('durable event middleware', () => {
  const js = useJetStreamServer();
  const seen: { id: string; deliveries: number }[] = [];
  let failInMiddleware = 0;

  @Service('mw.durable')
  class DurableService {
    @On('mwd.save', { durable: 'mwd', maxDeliver: 3, backoff: [50] })
    @Use({
      name: 'flaky-middleware',
      event(ctx: EventContext, next: Next) {
        const id = (ctx.input as { id: string }).id;
        const deliveries = seen.filter((s) => s.id === id).length + 1;
        seen.push({ id, deliveries });
        if (deliveries <= failInMiddleware) throw new Error(`middleware failure ${deliveries}`);
        return next();
      },
    })
    onSave(evt: { id: string }, ctx: Context) {
      ctx.log.info({ id: evt.id }, 'saved');
    }
  }

  let app: App;
  afterEach(async () => app?.stop());

  it('runs on durable events; a throw in it naks, the event is redelivered, then handled', async () => {
    seen.length = 0;
    failInMiddleware = 2;
    app = await js.boot([DurableService]);
    await app.start();
    await app.client.emit('mwd.save', { id: 'd1' }, { durable: true });
    await until(() => seen.length === 3, 'three deliveries');
    expect(seen.map((s) => s.deliveries)).toEqual([1, 2, 3]);
    const info = await (await js.nc.jetstreamManager()).consumers.info('NATSMESH_mwd', 'mwd');
    await until(() => info.num_ack_pending === 0, 'the ack');
  });

  it('an event that keeps failing in middleware goes to the dead letters after maxDeliver', async () => {
    seen.length = 0;
    failInMiddleware = 99;
    app = await js.boot([DurableService]);
    await app.start();
    const dead = js.nc.subscribe('$NATSMESH.DLQ.NATSMESH_mwd.mwd', { max: 1 });
    await js.nc.flush();
    await app.client.emit('mwd.save', { id: 'd2' }, { durable: true });
    let letter: Msg | undefined;
    for await (const m of dead) letter = m;
    expect(letter!.headers!.get(DEAD_LETTER_HEADERS.error)).toBe('middleware failure 3');
    expect(seen.map((s) => s.deliveries)).toEqual([1, 2, 3]);
  });
});

describe('a guard on a durable subscription', () => {
  const js = useJetStreamServer();

  @Service('mw.durable-guard')
  class GuardedDurable {
    static handled = 0;

    @On('mwg.staff', { durable: 'mwg', maxDeliver: 5, backoff: [50] })
    @Use(StaffOnly)
    onStaff() {
      GuardedDurable.handled++;
    }
  }

  it('sends a refused event to the dead letters at once, not after maxDeliver redeliveries, with a warning', async () => {
    const logs: Record<string, unknown>[] = [];
    const app = await createApp({ services: [GuardedDurable], nats: { servers: js.server.url }, logger: quietLogger(logs), discovery: false });
    await app.start();
    try {
      const dead = js.nc.subscribe('$NATSMESH.DLQ.NATSMESH_mwg.mwg', { max: 1 });
      await js.nc.flush();
      await app.client.emit('mwg.staff', { id: 'g1' }, { durable: true, headers: { 'X-User': 'bob' } });
      let letter: Msg | undefined;
      for await (const m of dead) letter = m;
      expect(letter!.headers!.get(DEAD_LETTER_HEADERS.code)).toBe('FORBIDDEN');
      expect(letter!.headers!.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
      await app.client.emit('mwg.staff', { id: 'g2' }, { durable: true, headers: { 'X-User': 'ann' } });
      await until(() => GuardedDurable.handled === 1, 'the allowed event');
      expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
      expect(logs.filter((l) => l.msg === 'durable event refused by a guard; the event went to the dead-letter subject')).toEqual([
        expect.objectContaining({ level: 40, code: 'FORBIDDEN' }),
      ]);
    } finally {
      await app.stop();
    }
  });
});

describe('middleware options at boot', () => {
  @Service('mw.boot')
  class BootService {
    @Handle('x')
    x() {
      return 1;
    }
  }

  it.each([
    ['not an array', { handle: () => 1 }],
    ['an entry that is a number', [42]],
    ['an entry without any hook', [{ name: 'nothing' }]],
  ])('createApp refuses middleware that is %s with INVALID_OPTIONS', async (_, middleware) => {
    const err = await catchMeshError(createApp({ services: [BootService], logger: false, middleware: middleware as never }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('createApp');
  });

  it('refuses @Use on a method that is no handler', async () => {
    @Service('mw.boot2')
    class NoHandler {
      @Use(tracer('x'))
      helper() {
        return 1;
      }
    }
    const err = await catchMeshError(createApp({ services: [NoHandler], logger: false }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('NoHandler.helper');
  });

  it('refuses @Use(undefined), naming the likely circular import', () => {
    let thrown: unknown;
    try {
      class Circular {}
      Use(undefined as never)(Circular);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MeshError);
    expect((thrown as MeshError).message).toContain('circular import');
    expect((thrown as MeshError).message).toContain('@Use on Circular');
  });

  it('refuses a handler @Use whose middleware has only client hooks', async () => {
    @Service('mw.boot3')
    class ClientHooksOnHandler {
      @Handle('x')
      @Use({ name: 'calls-only', call: (_ctx: unknown, next: Next) => next() })
      x() {
        return 1;
      }
    }
    const err = await catchMeshError(createApp({ services: [ClientHooksOnHandler], logger: false }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('calls-only');
  });

  it('refuses a plain function (Koa style) with INVALID_OPTIONS that says what a middleware is', async () => {
    const err = await catchMeshError(createApp({ services: [BootService], logger: false, middleware: [(_ctx: unknown, next: Next) => next()] as never }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('is a function');
    expect(err.message).toContain('handle(ctx, next)');
  });

  it('refuses more middleware around one handler than a message can run through', async () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ name: `m${i}`, handle: (_c: HandleContext, next: Next) => next() }));
    const err = await catchMeshError(createApp({ services: [BootService], logger: false, middleware: many }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('BootService.x has 300 middleware');
  });

  it('refuses @Use on a class whose handlers none of its hooks reach', async () => {
    @Service('mw.boot4')
    @Use({ name: 'requests-only', handle: (_c: HandleContext, next: Next) => next() })
    class EventsOnly {
      @On('mw.boot4.evt')
      on() {
        return undefined;
      }
    }
    const err = await catchMeshError(createApp({ services: [EventsOnly], logger: false }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('requests-only has no hook that runs on an event (canActivate, before, after, error, event)');
  });

  it('names the class and the value in @Use errors', () => {
    const thrown = (f: () => void) => {
      try {
        f();
      } catch (err) {
        return (err as Error).message;
      }
      return 'nothing thrown';
    };
    class U {
      static s() {
        return 1;
      }
      a() {
        return 1;
      }
    }
    expect(thrown(() => Use(tracer('x'))(U, 's', Object.getOwnPropertyDescriptor(U, 's')!))).toContain('@Use on U.s is not on an instance method');
    expect(thrown(() => Use(null as never)(U.prototype, 'a', Object.getOwnPropertyDescriptor(U.prototype, 'a')!))).toContain('entry 0 is null');
  });

  it('a middleware class that cannot be built fails at boot with UNRESOLVED_DEPENDENCY', async () => {
    interface Clock {
      now(): number;
    }
    class NeedsClock implements Middleware {
      constructor(readonly clock: Clock) {}
      handle(_ctx: HandleContext, next: Next) {
        return next();
      }
    }
    const err = await catchMeshError(createApp({ services: [BootService], logger: false, middleware: [NeedsClock] }));
    expect(err.code).toBe('UNRESOLVED_DEPENDENCY');
    expect(err.message).toContain('NeedsClock');
  });
});

describe('app-wide middleware on the client side', () => {
  const seenHeaders: string[] = [];

  @Service('mw.front')
  class Front {
    @Handle('ask')
    ask(_input: unknown, ctx: Context) {
      ctx.emit('mw.audit.asked', {});
      return ctx.request('mw.back.answer', {});
    }
  }

  @Service('mw.back')
  class Back {
    @Handle('answer')
    answer(_input: unknown, ctx: Context) {
      return { token: ctx.headers?.get('Authorization') };
    }

    @On('mw.audit.asked')
    asked(_evt: unknown, ctx: Context) {
      seenHeaders.push(ctx.headers?.get('X-Emitted-By') ?? '');
    }
  }

  /** One object for both sides: adds the credential to every call and a stamp to every event. */
  class Credentials implements Middleware {
    call(ctx: import('@natsmesh/core').CallContext, next: Next) {
      ctx.headers.set('Authorization', 'Bearer s3cret');
      return next();
    }

    emit(ctx: import('@natsmesh/core').EmitContext, next: Next) {
      ctx.headers.set('X-Emitted-By', 'mw.front');
      return next();
    }
  }

  let server: NatsServerHandle;
  let app: App;
  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: [Front, Back], nats: { servers: server.url }, logger: quietLogger(), discovery: false, middleware: [Credentials] });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('wraps ctx.request, app.client and ctx.emit with the call and emit hooks of createApp({ middleware })', async () => {
    await expect(app.client.request('mw.front.ask', {})).resolves.toEqual({ token: 'Bearer s3cret' });
    await until(() => seenHeaders.length === 1, 'the audit event');
    expect(seenHeaders).toEqual(['mw.front']);
    // A middleware with only client hooks is in no server pipeline.
    expect(app.describe().flatMap((d) => d.endpoints.map((e) => e.middleware))).toEqual([undefined, undefined]);
  });
});
