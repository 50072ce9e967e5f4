import 'reflect-metadata';
import { connect, type NatsConnection } from 'nats';
import { createApp, createClient, createLogger, On, Service, type App, type MeshClient } from '@natsmesh/core';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { codeOf, sleep, Tally, until } from './support';

const EVENTS = 10_000;

/** The effects of the ledger: one entry per payment id, however often it is delivered. */
const applied = new Set<string>();
let deliveries = 0;
let effects = 0;

@Service('rel.ledger')
class LedgerService {
  // Idempotent by id: a redelivered event finds its id applied and changes nothing.
  @On('rel.payment.made', { durable: 'ledger', backoff: [50] })
  onPayment(evt: { id: string; amount: number }) {
    deliveries++;
    if (applied.has(evt.id)) return;
    applied.add(evt.id);
    effects++;
  }
}

describe('a durable subscriber that is down while events are emitted', () => {
  let server: NatsServerHandle;
  let emitter: MeshClient;
  let nc: NatsConnection;
  let app: App | undefined;
  const logger = createLogger({ level: 'silent' });
  const boot = async () => {
    const a = await createApp({ services: [LedgerService], nats: { servers: server.url }, logger, discovery: false });
    await a.start();
    return a;
  };

  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    emitter = await createClient({ nats: { servers: server.url } });
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await app?.stop();
    await emitter?.close();
    await nc?.close();
    await server?.stop();
  });

  it(`handles all ${EVENTS} events once by effect after it comes back`, async () => {
    // First start creates the stream and the durable consumer; then the subscriber goes away.
    app = await boot();
    await app.stop();
    app = undefined;

    const ids = Array.from({ length: EVENTS }, (_, i) => `pay-${i}`);
    for (let i = 0; i < EVENTS; i += 1000) {
      const acks = await Promise.all(ids.slice(i, i + 1000).map((id) => emitter.emit('rel.payment.made', { id, amount: 10 }, { durable: true, id })));
      expect(acks.filter((a) => a.duplicate)).toHaveLength(0);
    }
    // A producer that retries after a lost ack sends the same ids again: the stream drops them.
    const retried = await Promise.all(ids.slice(0, 100).map((id) => emitter.emit('rel.payment.made', { id, amount: 10 }, { durable: true, id })));
    expect(retried.every((a) => a.duplicate)).toBe(true);

    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info('NATSMESH_rel')).state.messages).toBe(EVENTS);
    expect((await jsm.consumers.info('NATSMESH_rel', 'ledger')).num_pending).toBe(EVENTS);
    expect(deliveries).toBe(0);

    app = await boot();
    await until(() => applied.size === EVENTS, `${EVENTS} applied payments (have ${applied.size})`, 20_000);
    // Every event acked: nothing pending, nothing waiting for an ack, nothing left to redeliver.
    let info = await jsm.consumers.info('NATSMESH_rel', 'ledger');
    for (let i = 0; i < 100 && (info.num_ack_pending > 0 || info.num_pending > 0); i++) {
      await new Promise((r) => setTimeout(r, 50));
      info = await jsm.consumers.info('NATSMESH_rel', 'ledger');
    }
    expect({ pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered }).toEqual({ pending: 0, ackPending: 0, redelivered: 0 });
    expect(effects).toBe(EVENTS);
    expect(deliveries).toBe(EVENTS);
  });

  it('keeps consuming across a server restart; a producer that retries with the same id adds nothing twice', async () => {
    const before = applied.size;
    const ids = Array.from({ length: 2000 }, (_, i) => `restart-${i}`);
    // The producer retries every emit until the stream acks it, with the same id each time.
    const emitted = new Tally();
    const emitOne = async (id: string) => {
      for (;;) {
        try {
          const ack = await emitter.emit('rel.payment.made', { id, amount: 1 }, { durable: true, id, timeout: 1000 });
          emitted.add(ack.duplicate ? 'duplicate' : 'stored');
          return;
        } catch (err) {
          emitted.add(codeOf(err));
          await sleep(100);
        }
      }
    };
    const producing = (async () => {
      for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map(emitOne));
    })();
    await until(() => applied.size > before + 200, 'the first events handled');
    await server.restart();
    await producing;
    await until(() => applied.size === before + ids.length, `all ${ids.length} events after the restart (have ${applied.size - before})`, 20_000);
    await sleep(200);
    console.log(`durable across a restart: emits ${JSON.stringify(emitted.toJSON())}, ${deliveries - EVENTS} deliveries, ${effects - EVENTS} effects`);
    expect(effects).toBe(EVENTS + ids.length);
    expect(ids.every((id) => applied.has(id))).toBe(true);
  });
});
