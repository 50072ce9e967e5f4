import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, createLogger, Handle, Service, type App, type HealthReport } from '@natsmesh/core';
import { natsmesh } from './run-natsmesh';

let release: () => void = () => undefined;
let holding = 0;

@Service('probe.desk', { version: '2.0.0' })
class DeskService {
  @Handle('hold')
  hold() {
    holding++;
    return new Promise<string>((resolve) => (release = () => resolve('done')));
  }
}

@Service('probe.spa')
class SpaService {
  @Handle('book')
  book() {
    return 'booked';
  }
}

const silent = () => createLogger({ level: 'silent' });

/** Runs `natsmesh ... --json` and parses stdout and stderr. */
async function json(...argv: string[]): Promise<{ code: number; out: unknown; err: unknown }> {
  const r = await natsmesh(...argv, '--json');
  return { code: r.code, out: r.out === '' ? undefined : JSON.parse(r.out), err: r.err === '' ? undefined : JSON.parse(r.err) };
}

describe('natsmesh health on a healthy mesh', () => {
  let server: NatsServerHandle;
  let desk: App;
  let spa: App;
  let s: string[];

  beforeAll(async () => {
    server = await startNatsServer();
    desk = await createApp({ services: [DeskService, SpaService], nats: { servers: server.url }, instance: 'desk-1', logger: silent() });
    spa = await createApp({ services: [SpaService], nats: { servers: server.url }, instance: 'spa-1', logger: silent() });
    await desk.start();
    await spa.start();
    s = ['--server', server.url];
  });

  afterAll(async () => {
    release();
    await desk?.stop();
    await spa?.stop();
    await server?.stop();
  });

  it('prints one row per instance and exits 0 when all are ready', async () => {
    const { code, out, err } = await natsmesh('health', ...s);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^INSTANCE\s+SERVICES\s+STATUS\s+REASON\s+UPTIME\s+IN FLIGHT$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^desk-1\s+probe\.desk, probe\.spa\s+ready\s+-\s+\d+(ms|s)\s+0$/),
      expect.stringMatching(/^spa-1\s+probe\.spa\s+ready\s+-\s+\d+(ms|s)\s+0$/),
    ]);
  });

  it('--json prints the health reports, sorted by instance', async () => {
    const r = await json('health', ...s);
    expect(r).toEqual({
      code: 0,
      err: undefined,
      out: [
        expect.objectContaining({ id: 'desk-1', status: 'ready', inFlight: 0, uptime: expect.any(Number), services: [{ name: 'probe.desk', version: '2.0.0' }, { name: 'probe.spa', version: '0.0.0' }] }),
        expect.objectContaining({ id: 'spa-1', status: 'ready', inFlight: 0, uptime: expect.any(Number), services: [{ name: 'probe.spa', version: '0.0.0' }] }),
      ],
    });
    expect((r.out as HealthReport[])[0]).not.toHaveProperty('reason');
  });

  it('asks one instance by id, or the instances of one service', async () => {
    expect(await json('health', 'spa-1', ...s)).toMatchObject({ code: 0, out: [{ id: 'spa-1', status: 'ready' }] });
    expect(await json('health', 'desk-1', ...s)).toMatchObject({ code: 0, out: [{ id: 'desk-1' }] });
    expect(await json('health', 'probe.desk', ...s)).toMatchObject({ code: 0, out: [{ id: 'desk-1' }] });
    const spas = await json('health', 'probe.spa', ...s);
    expect(spas).toMatchObject({ code: 0 });
    expect((spas.out as HealthReport[]).map((h) => h.id)).toEqual(['desk-1', 'spa-1']);
  });

  it('exits 1 naming what it asked for when no such instance or service answered', async () => {
    const { code, out, err } = await natsmesh('health', 'nobody', ...s);
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err).toMatch(/^No instance or service "nobody" answered health on 127\.0\.0\.1:\d+/);
    expect(await json('health', 'probe.nobody', ...s)).toMatchObject({ code: 1, out: undefined, err: { error: { code: 'NOT_FOUND', message: expect.stringContaining('"probe.nobody"') } } });
  });

  it('takes one argument, a subject token or a service name, and has help', async () => {
    for (const argv of [['health', 'a', 'b'], ['health', 'probe.*'], ['health', 'a b'], ['health', 'probe.>'], ['health', '--bogus']]) {
      const { code, err } = await natsmesh(...argv, ...s);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(err).toMatch(/Usage: natsmesh health/);
    }
    const help = await natsmesh('health', '--help');
    expect(help).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: natsmesh health \[instance\|service\]/) });
    expect(help.out).toMatch(/--server/);
    expect((await natsmesh('--help')).out).toMatch(/^ {2}health\s/m);
  });

  it('works as a probe from the installed binary: exit 0 when ready, 1 when not found', async () => {
    const bin = join(__dirname, '../bin/natsmesh.js');
    const run = promisify(execFile);
    const ok = await run(process.execPath, [bin, 'health', 'desk-1', ...s]);
    expect(ok.stdout).toMatch(/^desk-1\s/m);
    await expect(run(process.execPath, [bin, 'health', 'gone-1', ...s])).rejects.toMatchObject({ code: 1 });
  });
});

describe('natsmesh health on a server without apps', () => {
  it('exits 1 saying that none answered on that server', async () => {
    const server = await startNatsServer();
    try {
      const { code, out, err } = await natsmesh('health', '--server', server.url);
      expect({ code, out }).toEqual({ code: 1, out: '' });
      expect(err.trim()).toBe(`No natsmesh app answered health on 127.0.0.1:${server.port}.`);
      expect(await json('health', '--server', server.url)).toEqual({
        code: 1,
        out: undefined,
        err: { error: { code: 'NOT_FOUND', status: 404, message: `No natsmesh app answered health on 127.0.0.1:${server.port}.` } },
      });
    } finally {
      await server.stop();
    }
  });
});

describe('natsmesh health while an app stops', () => {
  it('shows the stopping instance and exits 1; --json prints the reports and the failure', async () => {
    const server = await startNatsServer();
    const desk = await createApp({ services: [DeskService], nats: { servers: server.url }, instance: 'desk-2', logger: silent() });
    const spa = await createApp({ services: [SpaService], nats: { servers: server.url }, instance: 'spa-2', logger: silent() });
    const client = await createClient({ nats: { servers: server.url }, timeout: 5000 });
    const s = ['--server', server.url];
    try {
      await desk.start();
      await spa.start();
      const before = holding;
      const held = client.request('probe.desk.hold', {});
      held.catch(() => undefined); // on a failed assertion, the close below rejects it
      for (let i = 0; i < 500 && holding === before; i++) await new Promise((r) => setTimeout(r, 10));
      const stopping = desk.stop();

      const text = await natsmesh('health', ...s);
      expect(text.code).toBe(1);
      expect(text.out).toMatch(/^desk-2\s+probe\.desk\s+stopping\s+app\.stop\(\) is draining.*\s1$/m);
      expect(text.out).toMatch(/^spa-2\s+probe\.spa\s+ready\s/m);
      expect(text.err.trim()).toBe('Not ready: desk-2 (stopping).');

      const r = await json('health', ...s);
      expect(r).toMatchObject({
        code: 1,
        out: [{ id: 'desk-2', status: 'stopping', reason: expect.any(String), inFlight: 1 }, { id: 'spa-2', status: 'ready' }],
        err: { error: { code: 'UNAVAILABLE', message: 'Not ready: desk-2 (stopping).' } },
      });
      expect(await json('health', 'spa-2', ...s)).toMatchObject({ code: 0, out: [{ id: 'spa-2', status: 'ready' }] });

      release();
      await held;
      await stopping;
      expect(await natsmesh('health', 'desk-2', ...s)).toMatchObject({ code: 1, err: expect.stringMatching(/^No instance or service "desk-2" answered/) });
      expect(await natsmesh('health', ...s)).toMatchObject({ code: 0 });
    } finally {
      release();
      await client.close();
      await desk.stop();
      await spa.stop();
      await server.stop();
    }
  });
});
