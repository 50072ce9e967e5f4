import 'reflect-metadata';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import {
  CANARY_EVENT_PREFIX,
  createAdmin,
  createClient,
  createLogger,
  startCanaryController,
  type App,
  type CanaryController,
  type CanaryState,
  type MeshAdmin,
  type MeshClient,
} from '@natsmesh/core';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { natsmesh } from './run-natsmesh';
import { createHotelApp } from '../../../examples/hotel/src/hotel-app';
import { selectHotelServices } from '../../../examples/hotel/src/select-services';

const ROOMS = 'hotel.rooms';
const state = JSONCodec<CanaryState>();
const quiet = () => createLogger({ level: 'silent' });

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Keeps `concurrency` calls of hotel.rooms.list in flight through a natsmesh client (it routes by the weights in force). */
class RoomsTraffic {
  private running = true;
  private readonly loops: Promise<void>[];
  constructor(client: MeshClient, concurrency = 8) {
    this.loops = Array.from({ length: concurrency }, async () => {
      while (this.running) await client.request('hotel.rooms.list').catch(() => undefined);
    });
  }
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/**
 * hotel.rooms 1.0.0 and 2.0.0 (failing `failPercent` of its list calls) on their own JetStream
 * server, traffic to hotel.rooms.list, and every canary event of hotel.rooms.
 */
function roomsMesh(failPercent: number) {
  const m = { events: [] as CanaryState[], controllers: [] as CanaryController[], apps: [] as App[] } as {
    server: NatsServerHandle;
    apps: App[];
    nc: NatsConnection;
    admin: MeshAdmin;
    client: MeshClient;
    traffic: RoomsTraffic;
    events: CanaryState[];
    controllers: CanaryController[];
    s: string[];
  };
  beforeAll(async () => {
    m.server = await startNatsServer({ jetstream: true });
    for (const version of ['1.0.0', '2.0.0']) {
      const app = await createHotelApp({ services: selectHotelServices(ROOMS, version), rooms: { failPercent }, nats: { servers: m.server.url }, logger: quiet() });
      await app.start();
      m.apps.push(app);
    }
    m.nc = await connect({ servers: m.server.url });
    m.nc.subscribe(`${CANARY_EVENT_PREFIX}.${ROOMS}`, { callback: (_, msg) => m.events.push(state.decode(msg.data)) });
    m.admin = await createAdmin({ nats: { servers: m.server.url }, warnings: false });
    await m.admin.routes.set({ service: ROOMS, weights: { '1.0.0': 100 } });
    m.client = await createClient({ nats: { servers: m.server.url }, logger: false });
    const registry = await m.client.registry();
    await until(() => registry.instances(ROOMS).length === 2, "both versions in the client's registry");
    m.traffic = new RoomsTraffic(m.client);
    m.s = ['--server', m.server.url];
  });
  afterAll(async () => {
    await m.traffic?.stop();
    for (const c of m.controllers) await c.stop();
    await m.client?.close();
    await m.admin?.close();
    await m.nc?.close();
    for (const app of m.apps) await app.stop();
    await m.server?.stop();
  });
  return m;
}

const START = ['canary', 'start', ROOMS, '--from', '1.0.0', '--to', '2.0.0', '--steps', '50,100', '--interval', '300ms', '--max-error-ratio', '0.05', '--min-requests', '5'];
const finished = (e: CanaryState) => e.phase === 'succeeded' || e.phase === 'rolled-back';

describe('natsmesh canary status and run: a healthy hotel.rooms 2.0.0', () => {
  const m = roomsMesh(0);

  it('status says when there is no rollout', async () => {
    expect(await natsmesh('canary', 'status', ...m.s)).toEqual({ code: 0, out: 'No canary rollouts.\n', err: '' });
    expect(await natsmesh('canary', 'status', ROOMS, '--watch', ...m.s)).toMatchObject({ code: 1, err: expect.stringMatching(/^NOT_FOUND: No canary rollout of hotel\.rooms/) });
  });

  it('status --watch follows the rollout line by line (stdout is no terminal) and exits 0 when it succeeds', async () => {
    expect((await natsmesh(...START, ...m.s)).code).toBe(0);
    const watching = natsmesh('canary', 'status', ROOMS, '--watch', ...m.s);
    m.controllers.push(await startCanaryController({ nats: { servers: m.server.url }, lockTtlMs: 1000, logger: false }));
    const watch = await watching;
    expect(watch).toMatchObject({ code: 0, err: '' });
    const lines = watch.out.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^hotel\.rooms 1\.0\.0 → 2\.0\.0: succeeded, 100% to 2\.0\.0: 2\.0\.0 healthy over \d+ requests/);
    expect(watch.out).toMatch(/^hotel\.rooms 1\.0\.0 → 2\.0\.0: progressing, step 1 of 2, 50% to 2\.0\.0: /m);
    await m.controllers.pop()!.stop();
  });

  it('status shows each rollout: its rule, its state and the live figures of each version', async () => {
    const status = await natsmesh('canary', 'status', '--window', '500ms', ...m.s);
    expect(status).toMatchObject({ code: 0, err: '' });
    expect(status.out).toMatch(/^hotel\.rooms: 1\.0\.0 → 2\.0\.0 in steps 50, 100% every 300ms \(maxErrorRatio=0\.05 minRequests=5\)\n/);
    expect(status.out).toMatch(/\n {2}state: succeeded, 100% to 2\.0\.0, \d+(ms|s) ago: 2\.0\.0 healthy over \d+ requests/);
    // All traffic goes to 2.0.0 now: 1.0.0 answers nothing in the window.
    expect(status.out).toMatch(/\n {2}VERSION\s+INSTANCES\s+REQUESTS\s+ERRORS\s+ERROR RATIO\s+P99\n {2}1\.0\.0\s+1\s+0\s+0\s+0\.0%\s+-\n {2}2\.0\.0\s+1\s+[1-9]\d*\s+0\s+0\.0%\s+\d+(\.\d+)? ms\n$/);

    const json = await natsmesh('canary', 'status', ROOMS, '--window', '300ms', '--json', ...m.s);
    const [rollout] = JSON.parse(json.out);
    expect(rollout).toMatchObject({ service: ROOMS, rule: { from: '1.0.0', to: '2.0.0', steps: [50, 100] }, state: { phase: 'succeeded', weight: 100 } });
    expect(rollout.figures.map((f: { version: string }) => f.version)).toEqual(['1.0.0', '2.0.0']);
    expect(rollout.figures[1].requests).toBeGreaterThan(0);
  });

  it('canary run drives a rollout in the foreground, printing each decision, until SIGTERM; a second one takes over when the first dies', async () => {
    // The way back, 2.0.0 → 1.0.0, is a new rollout.
    const back = ['canary', 'start', ROOMS, '--from', '2.0.0', '--to', '1.0.0', '--steps', '20,60,100', '--interval', '1500ms', '--min-requests', '5'];
    const first = runNatsmesh('canary', 'run', ROOMS, '--lock-ttl', '1s', ...m.s);
    await until(() => first.out.includes('Driving the canary rollouts of hotel.rooms'), 'the first controller to start');
    expect((await natsmesh(...back, ...m.s)).code).toBe(0);
    await until(() => /^\d\d:\d\d:\d\d hotel\.rooms 2\.0\.0 → 1\.0\.0: progressing, step 1 of 3, 20% to 1\.0\.0: started/m.test(first.out), 'the first controller to start the rollout');
    const second = runNatsmesh('canary', 'run', ROOMS, '--lock-ttl', '1s', ...m.s);
    await until(() => second.out.includes('Driving'), 'the second controller to start');
    first.child.kill('SIGKILL');
    expect(await first.exit).toBe(null);
    await until(() => second.out.includes('succeeded, 100% to 1.0.0'), 'the second controller to finish the rollout');
    expect(second.out).toMatch(/resumed at step [12] of 3/);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(second.out).toMatch(/Stopped\.\n$/);
    expect((await m.admin.routes.get(ROOMS))?.weights).toEqual({ '1.0.0': 100 });
  });

  it('status --watch exits 1 when the rollout is aborted; start after an abort begins again at the first step', async () => {
    const slow = ['canary', 'start', ROOMS, '--from', '1.0.0', '--to', '2.0.0', '--steps', '50,100', '--interval', '1h'];
    m.controllers.push(await startCanaryController({ nats: { servers: m.server.url }, lockTtlMs: 1000, logger: false }));
    const mark = m.events.length;
    expect((await natsmesh(...slow, ...m.s)).code).toBe(0);
    await until(() => m.events.length > mark, 'the rollout to start');
    // Whether the abort lands before or after the watch reads the rollout, the watch ends the same way.
    const watching = natsmesh('canary', 'status', '--watch', ...m.s);
    expect((await natsmesh('canary', 'abort', ROOMS, ...m.s)).code).toBe(0);
    const watch = await watching;
    expect(watch).toMatchObject({ code: 1, err: '' });
    expect(watch.out).toMatch(/hotel\.rooms: no canary rule in force: the rollout is stopped/);
    await until(() => m.events.some((e, i) => i > mark && e.phase === 'paused'), 'the controller to store where it stopped');

    const again = await natsmesh(...slow, ...m.s);
    expect(again.out).toMatch(/\nCleared the last rollout of hotel\.rooms \(paused at 50%\): it starts again from its first step\.\n$/);
    await until(() => m.events.length > mark + 2, 'the rollout to start again');
    expect(m.events[mark + 2]).toMatchObject({ phase: 'progressing', step: 0, weight: 50, reason: expect.stringMatching(/^started/) });
    await natsmesh('canary', 'abort', ROOMS, ...m.s);
    await m.controllers.pop()!.stop();
  });
});

describe('natsmesh canary status --watch and start: a hotel.rooms 2.0.0 failing 30% of calls', () => {
  const m = roomsMesh(30);

  it('status --watch exits 1 when the rollout rolls back; start again restarts it', async () => {
    m.controllers.push(await startCanaryController({ nats: { servers: m.server.url }, lockTtlMs: 1000, logger: false }));
    expect((await natsmesh(...START, ...m.s)).code).toBe(0);
    const watch = await natsmesh('canary', 'status', ROOMS, '--watch', ...m.s);
    expect(watch).toMatchObject({ code: 1, err: '' });
    expect(watch.out).toMatch(/^hotel\.rooms 1\.0\.0 → 2\.0\.0: rolled-back, 0% to 2\.0\.0: error ratio 0\.\d+ of 2\.0\.0 .*rolled back to 1\.0\.0\n$/m);
    expect((await m.admin.routes.get(ROOMS))?.weights).toEqual({ '1.0.0': 100 });

    // The same rollout again: it starts from its first step, and rolls back again.
    const mark = m.events.length;
    const again = await natsmesh(...START, ...m.s);
    expect(again).toMatchObject({ code: 0, out: expect.stringMatching(/^Set canary\.hotel\.rooms: 1\.0\.0 → 2\.0\.0 in steps 50, 100% every 300ms\.\nCleared the last rollout of hotel\.rooms \(rolled-back at 0%\): it starts again from its first step\.\n$/) });
    await until(() => m.events.slice(mark).some(finished), 'the restarted rollout to end');
    expect(m.events.slice(mark).map((e) => [e.phase, e.weight])).toEqual([
      ['progressing', 50],
      ['rolled-back', 0],
    ]);
    expect(m.events[mark]!.reason).toMatch(/^started: 50% of traffic to 2\.0\.0/);
  });
});

/** Runs the natsmesh command in a child process, collecting what it prints. */
function runNatsmesh(...argv: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(__dirname, '../bin/natsmesh.js'), ...argv]);
  const run = { child, out: '', err: '', exit: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))) };
  child.stdout.on('data', (d: Buffer) => void (run.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (run.err += d.toString()));
  return run;
}
