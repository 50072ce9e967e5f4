import 'reflect-metadata';
import type { NatsConnection } from 'nats';
import { createApp, DEAD_LETTER_HEADERS, On, Service, type App, type Logger } from '@natsmesh/core';
import { useJetStreamServer } from './jetstream-server';
import { until } from './until';

const handled: string[] = [];
let stopOnFirst: (() => Promise<void>) | undefined;
let stopping: Promise<void> | undefined;

@Service('halt.audit')
class HaltService {
  @On('halt.save', { durable: 'halt-save', ackWait: 60_000 })
  onSave(evt: { id: string }) {
    handled.push(evt.id);
    if (stopOnFirst !== undefined && stopping === undefined) stopping = stopOnFirst();
  }
}

describe('stopping an app with durable events already pulled', () => {
  const fx = useJetStreamServer();
  let nc: NatsConnection;
  beforeAll(() => (nc = fx.nc));
  const boot = () => fx.boot([HaltService]);

  it('handles every event the server sent before it saw the stop, so none waits out ack_wait', async () => {
    const a: App = await boot();
    await a.start();
    // The first event stops the app while the server is still sending the others.
    stopOnFirst = () => a.stop();
    const js = nc.jetstream();
    await Promise.all(Array.from({ length: 50 }, (_, i) => js.publish('halt.save', JSON.stringify({ id: `e${i}` }))));
    await until(() => stopping !== undefined, 'the first event');
    await stopping;
    stopOnFirst = undefined;

    // A restarted instance gets whatever is left now, not after the 60 s ack wait, and nothing twice.
    const b = await boot();
    await b.start();
    await until(() => handled.length >= 50, 'the rest');
    await b.stop();
    expect([...handled].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `e${i}`).sort());
    const info = await (await nc.jetstreamManager()).consumers.info('NATSMESH_halt', 'halt-save');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });
});

describe('a durable handler that fails under a logger that throws', () => {
  const fx = useJetStreamServer();

  it('still naks, redelivers and dead-letters the event', async () => {
    let calls = 0;
    @Service('thr.audit')
    class ThrowingAudit {
      @On('thr.evt', { durable: 'thr', maxDeliver: 2, backoff: [20] })
      on() {
        calls++;
        throw new Error('handler down');
      }
    }
    const boom = (): never => {
      throw new Error('logger down');
    };
    const throwing: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: boom, error: boom, fatal: boom, child: () => throwing };
    const app = await createApp({ services: [ThrowingAudit], nats: { servers: fx.server.url }, logger: throwing, discovery: false });
    await app.start();
    const dead = fx.nc.subscribe('$NATSMESH.DLQ.NATSMESH_thr.thr', { max: 1 });
    try {
      await app.client.emit('thr.evt', { n: 1 }, { durable: true });
      // ack_wait is 30 s: a nak skipped because the logger threw would leave nothing here in time.
      const letters = await Promise.race([
        (async () => {
          for await (const m of dead) return m;
          return undefined;
        })(),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
      ]);
      expect(letters?.headers?.get(DEAD_LETTER_HEADERS.error)).toContain('handler down');
      expect(calls).toBe(2);
    } finally {
      dead.unsubscribe();
      await app.stop();
    }
  });
});
