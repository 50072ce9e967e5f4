import 'reflect-metadata';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, On, Service, Use, type App } from '@natsmesh/core';
import { sample } from './prom-text';
import { quietLogger } from './quiet-logger';

let flakyDeliveries = 0;
let doomedDeliveries = 0;

@Service('cmd.svc')
class DurableService {
  @On('cmd.flaky', { durable: 'cm-flaky', maxDeliver: 5, backoff: [10] })
  flaky() {
    if (++flakyDeliveries <= 2) throw new Error(`flaky failure ${flakyDeliveries}`);
  }

  @On('cmd.doomed', { durable: 'cm-doomed', maxDeliver: 3, backoff: [10] })
  doomed() {
    doomedDeliveries++;
    throw new Error('always fails');
  }

  @On('cmd.guarded', { durable: 'cm-guarded' })
  @Use({ canActivate: () => false })
  guarded() {
    return undefined;
  }
}

describe('durable event outcomes', () => {
  let server: NatsServerHandle;
  let app: App;
  beforeAll(async () => {
    server = await startNatsServer({ jetstream: true });
    app = await createApp({ services: [DurableService], nats: { servers: server.url }, logger: quietLogger(), discovery: false, metrics: { port: 0, defaultMetrics: false } });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('counts each delivery once: handled, redelivered or dead_lettered, and the redeliveries that arrived', async () => {
    await app.client.emit('cmd.flaky', {}, { durable: true });
    await app.client.emit('cmd.doomed', {}, { durable: true });
    await app.client.emit('cmd.guarded', {}, { durable: true });
    const at = (t: string, handler: string, outcome: string) => sample(t, 'natsmesh_events_total', { service: 'cmd.svc', handler, outcome });
    const deadline = Date.now() + 5000;
    let text = '';
    while (!(at(text, 'flaky', 'handled') === 1 && at(text, 'doomed', 'dead_lettered') === 1 && at(text, 'guarded', 'dead_lettered') === 1)) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for the outcomes:\n${text}`);
      await new Promise((r) => setTimeout(r, 10));
      text = await app.metrics!.metrics();
    }
    expect([flakyDeliveries, doomedDeliveries]).toEqual([3, 3]);
    expect(at(text, 'flaky', 'redelivered')).toBe(2);
    expect(at(text, 'flaky', 'dead_lettered')).toBe(0);
    expect(at(text, 'flaky', 'failed')).toBe(0);
    expect(at(text, 'doomed', 'handled')).toBe(0);
    expect(at(text, 'doomed', 'redelivered')).toBe(2);
    expect(at(text, 'doomed', 'failed')).toBe(0);
    expect(at(text, 'guarded', 'redelivered')).toBe(0);
    expect(at(text, 'guarded', 'refused')).toBeUndefined();
    const redeliveries = (handler: string) => sample(text, 'natsmesh_event_redeliveries_total', { service: 'cmd.svc', handler });
    expect([redeliveries('flaky'), redeliveries('doomed'), redeliveries('guarded')]).toEqual([2, 2, 0]);
  });
});
