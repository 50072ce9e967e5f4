import 'reflect-metadata';
import { connect, headers, type NatsConnection } from 'nats';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  createApp,
  createClient,
  ERROR_CODE_HEADER,
  ERROR_HEADER,
  Handle,
  MeshError,
  Service,
  TIMEOUT_HEADER,
  type App,
  type Context,
} from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_TIMER = 2 ** 31 - 1;

/** True when `promise` has settled by the time a timer set `ms` after the call fires. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return new Promise((resolve) => setTimeout(() => resolve(settled), ms));
}

let flakyFailures = 0;

@Service('cb.front')
class FrontService {
  @Handle('fallback')
  fallback(_input: unknown, ctx: Context) {
    return ctx.request('cb.nobody.home', {}, { fallback: [] });
  }

  @Handle('retry')
  retry(_input: unknown, ctx: Context) {
    return ctx.request('cb.back.flaky', {}, { retry: { attempts: 3, initialDelay: 1, maxDelay: 1 } });
  }

  @Handle('badHeader')
  badHeader(_input: unknown, ctx: Context) {
    return ctx.request('cb.back.echo', {}, { headers: { 'bad name': 'x' } }).then(
      () => 'sent',
      (e: unknown) => (MeshError.is(e) ? e.code : 'not a MeshError'),
    );
  }

  @Handle('late', { timeout: 30 })
  async late(_input: unknown, ctx: Context) {
    await sleep(60);
    const aborted = ctx.signal.aborted;
    const call = await ctx.request('cb.nobody.home', {}).then(
      () => 'ok',
      (e: MeshError) => e.code,
    );
    return { aborted, call };
  }

  @Handle('signal')
  async signal(_input: unknown, ctx: Context) {
    const signal = ctx.signal;
    await sleep(30);
    return { aborted: signal.aborted, remaining: ctx.remaining };
  }
}

let openGate: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (openGate = resolve));

@Service('cb.back')
class BackService {
  @Handle('crowded', { bulkhead: { concurrency: 1, queue: 1 } })
  async crowded(input: { hold?: boolean }) {
    if (input.hold) await gate;
    return 'done';
  }

  @Handle('flaky')
  flaky() {
    if (flakyFailures-- > 0) throw new MeshError('UNAVAILABLE', 'not yet');
    return 'ok';
  }

  @Handle('echo')
  echo(input: unknown) {
    return input;
  }
}

describe('call boundaries', () => {
  let server: NatsServerHandle;
  let app: App;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    // Discovery on: a new client's registry then waits for the quiet period of its first scatter-gather.
    app = await createApp({ services: [FrontService, BackService], nats: { servers: server.url }, logger: quietLogger() });
    await app.start();
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await app?.stop();
    await server?.stop();
  });

  describe('ctx.request is client.request with the deadline and headers carried over', () => {
    it('keeps fallback', async () => {
      await expect(app.client.request('cb.front.fallback', {})).resolves.toEqual([]);
    });

    it('keeps retry', async () => {
      flakyFailures = 1;
      await expect(app.client.request('cb.front.retry', {})).resolves.toBe('ok');
    });

    it('rejects a bad header with BAD_REQUEST instead of throwing', async () => {
      await expect(app.client.request('cb.front.badHeader', {})).resolves.toBe('BAD_REQUEST');
    });
  });

  describe('every wait is bounded by the deadline', () => {
    it('ctx.signal read for the first time after the deadline is already aborted, and ctx.request then fails with TIMEOUT', async () => {
      await expect(app.client.request('cb.front.late', {})).resolves.toEqual({ aborted: true, call: 'TIMEOUT' });
    });

    it('the first round-robin call settles by its deadline while the registry still bootstraps', async () => {
      const client = await createClient({ nats: { servers: server.url } });
      try {
        const call = client.request('cb.back.echo', 1, { strategy: 'round-robin', timeout: 20 });
        expect(await settledWithin(call, 60)).toBe(true);
        expect((await catchMeshError(call)).code).toBe('TIMEOUT');
      } finally {
        await client.close();
      }
    });

    it('waitFor settles by its timeout while the registry still bootstraps', async () => {
      const client = await createClient({ nats: { servers: server.url } });
      try {
        const wait = client.waitFor('cb.nobody', { timeout: 20 });
        expect(await settledWithin(wait, 60)).toBe(true);
        expect((await catchMeshError(wait)).code).toBe('TIMEOUT');
      } finally {
        await client.close();
      }
    });

    it('a bulkhead queue lets go of a request whose caller stopped waiting, so it never crowds out a live one', async () => {
      const running = app.client.request('cb.back.crowded', { hold: true });
      const expired = app.client.request('cb.back.crowded', {}, { timeout: 30 });
      expect((await catchMeshError(expired)).code).toBe('TIMEOUT');
      const live = app.client.request('cb.back.crowded', {});
      await app.client.flush();
      openGate();
      await expect(live).resolves.toBe('done');
      await expect(running).resolves.toBe('done');
    });

    it('a durable emit timeout above 2^31-1 ms rejects with INVALID_OPTIONS', async () => {
      const err = await catchMeshError(app.client.emit('cb.unstored', {}, { durable: true, timeout: MAX_TIMER + 1 }));
      expect(err.code).toBe('INVALID_OPTIONS');
      expect(err.message).toContain('2147483647');
    });
  });

  describe('options are checked at the boundary', () => {
    it.each([MAX_TIMER + 1, 0, -5, Number.NaN, Infinity])('request timeout %p rejects with INVALID_OPTIONS naming the range', async (timeout) => {
      const err = await catchMeshError(app.client.request('cb.back.echo', 1, { timeout }));
      expect(err.code).toBe('INVALID_OPTIONS');
      expect(err.message).toContain('timeout');
      expect(err.message).toContain('2147483647');
    });

    it('request timeout on the policy path rejects the same way', async () => {
      const err = await catchMeshError(app.client.request('cb.back.echo', 1, { timeout: MAX_TIMER + 1, fallback: 0 }));
      expect(err.code).toBe('INVALID_OPTIONS');
    });

    it.each([
      ['a header name with a space', { 'bad name': 'x' }],
      ['a header value with CR/LF', { ok: 'a\r\nInjected: 1' }],
    ])('%s rejects the request with BAD_REQUEST, never a synchronous throw', async (_what, hdrs) => {
      let call: Promise<unknown> | undefined;
      expect(() => (call = app.client.request('cb.back.echo', 1, { headers: hdrs }))).not.toThrow();
      expect((await catchMeshError(call!)).code).toBe('BAD_REQUEST');
      let policyCall: Promise<unknown> | undefined;
      expect(() => (policyCall = app.client.request('cb.back.echo', 1, { headers: hdrs, fallback: 0 }))).not.toThrow();
      expect((await catchMeshError(policyCall!)).code).toBe('BAD_REQUEST');
    });

    it('a bad header on emit throws a MeshError BAD_REQUEST; on a durable emit it rejects', async () => {
      let thrown: unknown;
      try {
        app.client.emit('cb.events.x', {}, { headers: { 'bad name': 'x' } });
      } catch (e) {
        thrown = e;
      }
      expect(MeshError.is(thrown) && thrown.code).toBe('BAD_REQUEST');
      let call: Promise<unknown> | undefined;
      expect(() => (call = app.client.emit('cb.events.x', {}, { durable: true, headers: { 'bad name': 'x' } }))).not.toThrow();
      expect((await catchMeshError(call!)).code).toBe('BAD_REQUEST');
    });

    it('null options are no options, and a retry that is not an object rejects with INVALID_OPTIONS', async () => {
      await expect(app.client.request('cb.back.echo', 1, null as never)).resolves.toBe(1);
      const err = await catchMeshError(app.client.request('cb.back.echo', 1, { retry: true as never }));
      expect(err.code).toBe('INVALID_OPTIONS');
      expect(err.message).toContain('retry');
    });

    it('a durable emit id that is not a non-empty string rejects with INVALID_OPTIONS', async () => {
      const err = await catchMeshError(app.client.emit('cb.unstored', {}, { durable: true, id: 7 as never }));
      expect(err.code).toBe('INVALID_OPTIONS');
      expect(err.message).toContain('id');
    });

    it.each([
      ['headers null', null],
      ['a header named ""', { '': 'x' }],
    ])('%s rejects the request with BAD_REQUEST', async (_what, hdrs) => {
      let call: Promise<unknown> | undefined;
      expect(() => (call = app.client.request('cb.back.echo', 1, { headers: hdrs as never }))).not.toThrow();
      expect((await catchMeshError(call!)).code).toBe('BAD_REQUEST');
    });

    it('data JSON cannot carry is BAD_REQUEST on emit as on request, plain and durable', async () => {
      let thrown: unknown;
      try {
        app.client.emit('cb.events.x', { n: 1n });
      } catch (e) {
        thrown = e;
      }
      expect(MeshError.is(thrown) && thrown.code).toBe('BAD_REQUEST');
      expect((await catchMeshError(app.client.emit('cb.unstored', { n: 1n }, { durable: true }))).code).toBe('BAD_REQUEST');
    });

    it('a durable emit id with CR/LF rejects with INVALID_OPTIONS naming the id', async () => {
      const err = await catchMeshError(app.client.emit('cb.unstored', {}, { durable: true, id: 'a\r\nb' }));
      expect(err.code).toBe('INVALID_OPTIONS');
      expect(err.message).toContain('id');
    });

    it('durable that is not a boolean is INVALID_OPTIONS, not silently a plain emit', () => {
      let thrown: unknown;
      try {
        app.client.emit('cb.events.x', {}, { durable: 'yes' as never });
      } catch (e) {
        thrown = e;
      }
      expect(MeshError.is(thrown) && thrown.code).toBe('INVALID_OPTIONS');
      expect((thrown as Error).message).toContain('durable');
    });

    it.each([
      ['ttl -1', { ttl: -1 }, 'ttl'],
      ['ttl "x"', { ttl: 'x' }, 'ttl'],
      ['bootstrapWait -1', { bootstrapWait: -1 }, 'bootstrapWait'],
    ])('registry %s rejects with INVALID_OPTIONS', async (_what, options, name) => {
      const client = await createClient({ nats: nc });
      try {
        const err = await catchMeshError(client.registry(options as never));
        expect(err.code).toBe('INVALID_OPTIONS');
        expect(err.message).toContain(name);
      } finally {
        await client.close();
      }
    });

    it('per-call retry with a bad factor rejects with INVALID_OPTIONS', async () => {
      const err = await catchMeshError(app.client.request('cb.back.echo', 1, { retry: { factor: -1 } }));
      expect(err.code).toBe('INVALID_OPTIONS');
      expect(err.message).toContain('factor');
    });
  });

  describe('values from the wire are clamped', () => {
    it('a Mesh-Timeout above 2^31-1 ms does not abort ctx.signal at once', async () => {
      const h = headers();
      h.set(TIMEOUT_HEADER, String(3_000_000_000));
      const reply = await nc.request('cb.front.signal', new TextEncoder().encode('{}'), { timeout: 2000, headers: h });
      const body = JSON.parse(new TextDecoder().decode(reply.data)) as { aborted: boolean; remaining: number };
      expect(body.aborted).toBe(false);
      expect(body.remaining).toBeLessThanOrEqual(MAX_TIMER);
    });

    it.each(['abc', '4e2', '0x190', '400.0', '200', '99', '4000'])('a Nats-Service-Error-Code of %p becomes status 500, never NaN or a number JavaScript reads into it', async (code) => {
      const sub = nc.subscribe('cb.foreign.broken', {
        callback: (_err, msg) => {
          const h = headers();
          h.set(ERROR_HEADER, 'it broke');
          h.set(ERROR_CODE_HEADER, code);
          msg.respond(new Uint8Array(0), { headers: h });
        },
      });
      await nc.flush();
      try {
        const err = await catchMeshError(app.client.request('cb.foreign.broken', {}));
        expect(err.status).toBe(500);
        expect(err.code).toBe('INTERNAL');
        expect(err.message).toContain('it broke');
      } finally {
        sub.unsubscribe();
      }
    });
  });
});

describe('client options are checked at the boundary', () => {
  it.each([MAX_TIMER + 1, 0, -1, Number.NaN])('createClient timeout %p rejects with INVALID_OPTIONS', async (timeout) => {
    const err = await catchMeshError(createClient({ timeout, nats: { servers: 'nats://127.0.0.1:1' } }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('createClient');
    expect(err.message).toContain('2147483647');
  });

  it('createClient(null) rejects with INVALID_OPTIONS like createApp(null)', async () => {
    let call: Promise<unknown> | undefined;
    expect(() => (call = createClient(null as never))).not.toThrow();
    const err = await catchMeshError(call!);
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('createClient');
  });

  it('createClient rejects an nkeySeed that is not a seed with INVALID_OPTIONS', async () => {
    const err = await catchMeshError(createClient({ nats: { servers: 'nats://127.0.0.1:1', nkeySeed: 'SUbogus' } }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('nkeySeed');
  });

  it('createClient rejects servers that are not URLs with INVALID_OPTIONS', async () => {
    const err = await catchMeshError(createClient({ nats: { servers: 4222 as never } }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toContain('nats.servers');
  });

  it('createClient rejects a bad breaker, budget or throttle', async () => {
    for (const resilience of [{ breaker: { failureRatio: 2 } }, { budget: { ratio: -1 } }, { throttle: { rate: 0 } }]) {
      const err = await catchMeshError(createClient({ resilience, nats: { servers: 'nats://127.0.0.1:1' } }));
      expect(err.code).toBe('INVALID_OPTIONS');
    }
  });
});
