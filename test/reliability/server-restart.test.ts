import 'reflect-metadata';
import { createApp, createClient, createLogger, Handle, Service, type App, type MeshClient } from '@natsmesh/core';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { codeOf, heapMb, sleep, Tally, until, within } from './support';

const WORKERS = 32;
const TIMEOUT = 500;
const RESTARTS = 3;
// Errors a caller may see while the only server is gone; anything else is a defect.
const CLEAR_ERRORS = ['TIMEOUT', 'UNAVAILABLE', 'NO_RESPONDERS'];

@Service('rel.echo')
class EchoService {
  @Handle('say')
  say(input: { n: number }) {
    return { n: input.n };
  }
}

describe('a single nats-server restarted under load', () => {
  let server: NatsServerHandle;
  let app: App;
  let client: MeshClient;

  beforeAll(async () => {
    server = await startNatsServer();
    // Reconnect fast: the default 2 s wait between attempts only makes the test slower.
    const nats = { servers: server.url, reconnectTimeWait: 100 };
    app = await createApp({ services: [EchoService], nats, logger: createLogger({ level: 'silent' }), discovery: false });
    await app.start();
    client = await createClient({ nats, timeout: TIMEOUT });
  });

  afterAll(async () => {
    await client?.close();
    await app?.stop();
    await server?.stop();
  });

  it('resubscribes by itself; every request settles with a reply or a clear error; memory stays flat', async () => {
    let started = 0;
    let settled = 0;
    let running = true;
    const tally = new Tally();
    const worker = async () => {
      for (let n = 0; running; n++) {
        started++;
        try {
          const r = await client.request<{ n: number }>('rel.echo.say', { n });
          tally.add(r.n === n ? 'OK' : 'WRONG_REPLY');
        } catch (err) {
          tally.add(codeOf(err));
          await sleep(10);
        } finally {
          settled++;
        }
      }
    };
    const load = async (ms: number) => {
      running = true;
      const ws = Array.from({ length: WORKERS }, worker);
      await sleep(ms);
      running = false;
      await Promise.all(ws);
    };

    await load(500); // warm-up: code paths compiled, buffers grown
    const before = await heapMb();
    const okBefore = tally.get('OK');

    const report: string[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      running = true;
      const ws = Array.from({ length: WORKERS }, worker);
      await sleep(300);
      const okAt = tally.get('OK');
      await server.restart();
      // Services resubscribe by themselves: replies come back without any action of the test.
      await until(() => tally.get('OK') > okAt + 100, 'replies after the restart', 10_000);
      await sleep(200);
      running = false;
      // No promise hangs: all settle within the request timeout (plus scheduling slack).
      await within(Promise.all(ws), TIMEOUT + 1000, 'every request to settle');
      expect(settled).toBe(started);
      report.push(JSON.stringify(tally.toJSON()));
    }

    const after = await heapMb();
    console.log(`server restart: ${RESTARTS} restarts, outcomes ${report.at(-1)}, heap ${before.toFixed(1)} → ${after.toFixed(1)} MB`);
    expect(tally.get('OK') - okBefore).toBeGreaterThan(RESTARTS * 100);
    expect(tally.codes().filter((c) => c !== 'OK' && !CLEAR_ERRORS.includes(c))).toEqual([]);
    expect(after - before).toBeLessThan(20);
    await expect(client.request('rel.echo.say', { n: -1 })).resolves.toEqual({ n: -1 });
  });
});
