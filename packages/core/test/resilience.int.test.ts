import 'reflect-metadata';
import { connect, headers, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  createApp,
  createClient,
  DEADLINE_HEADER,
  Handle,
  MeshError,
  RETRY_AFTER_HEADER,
  Service,
  TIMEOUT_HEADER,
  type App,
  type CircuitEvent,
  type MeshClient,
} from '@natsmesh/core';
import { quietLogger } from './quiet-logger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: MeshError) => e.code);

const seen = { pings: 0, flaky: 0, unsafe: 0, invalid: 0, outage: 0, sick: 0, slow: 0, limited: 0, crowded: 0 };
let failuresLeft = 0;
let healthy = true;

@Service('res.svc')
class ResilientService {
  @Handle('flaky', { idempotent: true })
  flaky() {
    seen.flaky++;
    if (failuresLeft-- > 0) throw new MeshError('UNAVAILABLE', 'try again');
    return { ok: true };
  }

  @Handle('unsafe')
  unsafe() {
    seen.unsafe++;
    throw new MeshError('UNAVAILABLE', 'not now');
  }

  @Handle('invalid', { idempotent: true })
  invalid() {
    seen.invalid++;
    throw new MeshError('VALIDATION_FAILED', 'bad input');
  }

  @Handle('outage', { idempotent: true })
  outage() {
    seen.outage++;
    throw new MeshError('UNAVAILABLE', 'down');
  }

  @Handle('sick')
  sick() {
    seen.sick++;
    if (!healthy) throw new MeshError('INTERNAL', 'sick');
    return 'well';
  }

  @Handle('slow', { bulkhead: { concurrency: 1, queue: 5 } })
  async slow(input: { ms: number }) {
    seen.slow++;
    await sleep(input.ms);
    return 'done';
  }

  @Handle('limited', { rateLimit: { rate: 5, burst: 5 } })
  limited() {
    seen.limited++;
    return 'ok';
  }

  @Handle('crowded', { bulkhead: { concurrency: 2, queue: 3 } })
  async crowded() {
    seen.crowded++;
    await sleep(150);
    return 'ok';
  }

  @Handle('ping')
  ping() {
    seen.pings++;
    return 'pong';
  }
}

describe('resilience', () => {
  let server: NatsServerHandle;
  let app: App;
  let nc: NatsConnection;
  let client: MeshClient;

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({ services: [ResilientService], nats: { servers: server.url }, logger: quietLogger() });
    await app.start();
    nc = await connect({ servers: server.url });
    client = await createClient({
      nats: { servers: server.url },
      resilience: { retry: { attempts: 3, initialDelay: 5, maxDelay: 20 }, budget: { ratio: 0.2, minRetries: 5 } },
    });
    // Given the class, the client learns which endpoints are idempotent.
    client.service(ResilientService);
  });

  afterAll(async () => {
    await client?.close();
    await nc?.close();
    await app?.stop();
    await server?.stop();
  });

  const stats = async (endpoint: string) => {
    const [s] = (await collect(await nc.services.client().stats('res_svc'))) as { endpoints: { name: string; num_requests: number; data: Record<string, number> }[] }[];
    return s.endpoints.find((e) => e.name === endpoint)!;
  };

  describe('deadlines', () => {
    it('drops a request whose deadline passed before it arrived, without running the handler', async () => {
      const before = seen.flaky;
      const h = headers();
      h.set(TIMEOUT_HEADER, '1000');
      h.set(DEADLINE_HEADER, String(Date.now() - 5));
      await expect(nc.request('res.svc.flaky', new Uint8Array(), { timeout: 300, headers: h })).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(seen.flaky).toBe(before);
      expect((await stats('flaky')).data.expired).toBe(1);
    });

    it('drops a queued request once its deadline passed while it waited', async () => {
      const before = seen.slow;
      const first = client.request('res.svc.slow', { ms: 300 });
      await sleep(20);
      await expect(client.request('res.svc.slow', { ms: 0 }, { timeout: 100 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      await expect(first).resolves.toBe('done');
      await sleep(50);
      expect(seen.slow - before).toBe(1);
      expect((await stats('slow')).data.expired).toBe(1);
    });
  });

  describe('retries', () => {
    it('retries an idempotent endpoint with backoff until it succeeds', async () => {
      const before = seen.flaky;
      failuresLeft = 2;
      await expect(client.request('res.svc.flaky')).resolves.toEqual({ ok: true });
      expect(seen.flaky - before).toBe(3);
    });

    it('does not retry an endpoint that is not idempotent, unless the call asks', async () => {
      let before = seen.unsafe;
      await expect(client.request('res.svc.unsafe')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(seen.unsafe - before).toBe(1);
      before = seen.unsafe;
      await expect(client.request('res.svc.unsafe', undefined, { retry: { attempts: 2, initialDelay: 1 } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(seen.unsafe - before).toBe(2);
    });

    it('never retries VALIDATION_FAILED, and refuses a policy that lists it', async () => {
      const before = seen.invalid;
      await expect(client.request('res.svc.invalid')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(seen.invalid - before).toBe(1);
      await expect(client.request('res.svc.invalid', undefined, { retry: { retryOn: ['VALIDATION_FAILED'] } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    });

    it('keeps extra attempts under the retry budget during an outage', async () => {
      const outageClient = await createClient({
        nats: { servers: server.url },
        resilience: { retry: { attempts: 5, initialDelay: 1, maxDelay: 5 }, budget: { ratio: 0.2, minRetries: 5 } },
      });
      try {
        // Here the client learns that res.svc.outage is idempotent from discovery.
        await outageClient.registry();
        const before = seen.outage;
        const codes = await Promise.all(Array.from({ length: 100 }, () => codeOf(outageClient.request('res.svc.outage'))));
        expect(codes.every((c) => c === 'UNAVAILABLE')).toBe(true);
        const attempts = seen.outage - before;
        // Without the budget: 500 attempts. With it: 100 first attempts + at most 20% + 5.
        expect(attempts).toBeGreaterThan(100);
        expect(attempts).toBeLessThanOrEqual(125);
      } finally {
        await outageClient.close();
      }
    });
  });

  describe('circuit breaker', () => {
    it('opens after failures, fails fast, and closes once the service recovers', async () => {
      const breakerClient = await createClient({
        nats: { servers: server.url },
        resilience: { breaker: { consecutiveFailures: 3, halfOpenAfter: 200 } },
      });
      const events: string[] = [];
      breakerClient.on('circuit', (e: CircuitEvent) => events.push(`${e.subject} ${e.state}`));
      try {
        healthy = false;
        for (let i = 0; i < 3; i++) await expect(breakerClient.request('res.svc.sick')).rejects.toMatchObject({ code: 'INTERNAL' });
        expect(breakerClient.circuit('res.svc.sick')).toBe('open');
        const before = seen.sick;
        const started = performance.now();
        await expect(breakerClient.request('res.svc.sick')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
        expect(performance.now() - started).toBeLessThan(20);
        expect(seen.sick).toBe(before);
        await expect(breakerClient.request('res.svc.ping')).resolves.toBe('pong');

        healthy = true;
        await sleep(250);
        await expect(breakerClient.request('res.svc.sick')).resolves.toBe('well');
        expect(breakerClient.circuit('res.svc.sick')).toBe('closed');
        expect(events).toEqual(['res.svc.sick open', 'res.svc.sick half-open', 'res.svc.sick closed']);
      } finally {
        healthy = true;
        await breakerClient.close();
      }
    });
  });

  describe('rate limit, bulkhead and fallback under load', () => {
    it('answers RATE_LIMITED with a retry-after beyond the bucket, and keeps serving', async () => {
      await sleep(600);
      const before = seen.limited;
      const codes = await Promise.all(Array.from({ length: 40 }, () => nc.request('res.svc.limited').then((m) => m.headers?.get(RETRY_AFTER_HEADER) || 'ok')));
      const passed = seen.limited - before;
      expect(passed).toBeGreaterThanOrEqual(5);
      expect(passed).toBeLessThanOrEqual(6);
      const retryAfter = codes.filter((c) => c !== 'ok').map(Number);
      expect(retryAfter.length).toBe(40 - passed);
      for (const ms of retryAfter) expect(ms).toBeGreaterThan(0);
      await expect(client.request('res.svc.limited')).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
      await expect(client.request('res.svc.ping')).resolves.toBe('pong');
      await sleep(300);
      await expect(client.request('res.svc.limited')).resolves.toBe('ok');
      expect((await stats('limited')).data.rate_limited).toBeGreaterThanOrEqual(retryAfter.length);
    });

    it('throttles on the client: calls over its own rate limit fail at once and are not sent', async () => {
      const throttled = await createClient({ nats: { servers: server.url }, resilience: { throttle: { rate: 5, burst: 3 } } });
      try {
        const before = seen.pings;
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => throttled.request('res.svc.ping')));
        const ok = results.filter((r) => r.status === 'fulfilled');
        const limited = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as { code: string; details: { retryAfterMs: number } });
        expect(ok).toHaveLength(3);
        expect(seen.pings - before).toBe(3);
        expect(limited).toHaveLength(7);
        for (const e of limited) expect(e).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
        await sleep(250);
        await expect(throttled.request('res.svc.ping')).resolves.toBe('pong');
      } finally {
        await throttled.close();
      }
    });

    it('answers UNAVAILABLE at once when the bulkhead and its queue are full, and keeps serving', async () => {
      const before = seen.crowded;
      const calls = Array.from({ length: 20 }, () => {
        const started = performance.now();
        return client.request('res.svc.crowded').then(
          () => ({ code: 'ok', ms: performance.now() - started }),
          (e: MeshError) => ({ code: e.code, ms: performance.now() - started }),
        );
      });
      const ping = performance.now();
      await expect(client.request('res.svc.ping')).resolves.toBe('pong');
      expect(performance.now() - ping).toBeLessThan(100);
      const results = await Promise.all(calls);
      expect(results.filter((r) => r.code === 'ok')).toHaveLength(5);
      const rejected = results.filter((r) => r.code === 'UNAVAILABLE');
      expect(rejected).toHaveLength(15);
      for (const r of rejected) expect(r.ms).toBeLessThan(150);
      expect(seen.crowded - before).toBe(5);
      expect((await stats('crowded')).data.rejected).toBe(15);
    });

    it('resolves with the fallback value or function instead of an availability error', async () => {
      await expect(client.request('res.svc.unsafe', undefined, { fallback: { cached: true } })).resolves.toEqual({ cached: true });
      await expect(client.request('res.svc.unsafe', undefined, { fallback: (e: MeshError) => `fallback after ${e.code}` })).resolves.toBe('fallback after UNAVAILABLE');
      await expect(client.request('res.svc.invalid', undefined, { fallback: 'x', retry: false })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
