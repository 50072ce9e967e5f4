import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import type { App } from '@natsmesh/core';
import { natsmesh } from './run-natsmesh';
import { createHotelApp } from '../../../examples/hotel/src/hotel-app';
import { createApp, createLogger, Handle, On, Service, Use, type Middleware } from '@natsmesh/core';
import { ReceivedEvents } from '../../../examples/hotel/src/subscribers/received-events';

describe('natsmesh CLI against the hotel app', () => {
  let server: NatsServerHandle;
  let app: App;
  let s: string[];

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createHotelApp({ nats: { servers: server.url }, instance: { id: 'hotel-1', zone: 'eu-1' }, logger: createLogger({ level: 'silent' }) });
    await app.start();
    s = ['--server', server.url];
  });

  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('ls lists the services with versions, instances, zones and endpoints', async () => {
    const { code, out } = await natsmesh('ls', ...s);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+VERSION\s+INSTANCES\s+ZONES\s+ENDPOINTS$/);
    expect(lines.find((l) => l.startsWith('hotel.booking '))).toMatch(/^hotel\.booking\s+1\.0\.0\s+1\s+eu-1\s+save, get, cancel, list$/);
    expect(lines.some((l) => l.startsWith('hotel.persistence '))).toBe(true);
  });

  it('ls --json prints the same as JSON', async () => {
    const { code, out } = await natsmesh('ls', '--json', ...s);
    expect(code).toBe(0);
    const list = JSON.parse(out) as { service: string; instances: { id: string; zone: string }[]; endpoints: { subject: string }[] }[];
    const booking = list.find((r) => r.service === 'hotel.booking')!;
    expect(booking.instances).toEqual([expect.objectContaining({ id: 'hotel-1', zone: 'eu-1' })]);
    expect(booking.endpoints.map((e) => e.subject)).toContain('hotel.booking.save');
  });

  it('takes the connection options before or after the command name', async () => {
    for (const argv of [['--server', server.url, 'ls'], ['ls', '--server', server.url], ['-s', server.url, '--timeout', '2000', 'ls']]) {
      const { code, out, err } = await natsmesh(...argv);
      expect({ argv, code, err }).toEqual({ argv, code: 0, err: '' });
      expect(out).toMatch(/^hotel\.booking\s+1\.0\.0\s+1\s+eu-1\s/m);
    }
    const json = await natsmesh('--json', '--server', server.url, 'call', 'hotel.rooms.list', '--timeout', '2000');
    expect(json).toMatchObject({ code: 0, err: '' });
    expect(Array.isArray(JSON.parse(json.out))).toBe(true);
    // A bad value before the command is the same usage mistake as after it.
    expect(await natsmesh('--timeout', 'soon', '--server', server.url, 'ls')).toMatchObject({ code: 2, err: expect.stringMatching(/--timeout.*soon/) });
  });

  it('prints its version with --version or -V', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string };
    expect(await natsmesh('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
    expect(await natsmesh('-V')).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('info shows endpoints with subjects and input types, and the instances', async () => {
    const { code, out } = await natsmesh('info', 'hotel.booking', ...s);
    expect(code).toBe(0);
    expect(out).toMatch(/save\s+hotel\.booking\.save\s+hotel\.booking\s+SaveBooking/);
    expect(out).toMatch(/hotel-1\s+1\.0\.0\s+eu-1/);
    expect(out).toMatch(/cancel\s+hotel\.booking\.cancel\s+.*BookingStoreErrors → StaffOnly/);
    // A service without middleware shows no such column.
    const rooms = await natsmesh('info', 'hotel.rooms', ...s);
    expect(rooms.code).toBe(0);
    expect(rooms.out).toMatch(/hotel\.rooms\.\w+/);
    expect(rooms.out).not.toMatch(/MIDDLEWARE/);
  });

  it('call prints the reply', async () => {
    const { code, out } = await natsmesh('call', 'hotel.booking.save', '{"guest":"Ann","room":101,"nights":2}', ...s);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ guest: 'Ann', room: 101, status: 'confirmed' });
  });

  it('call with a bad body prints VALIDATION_FAILED and the field errors, exit 1', async () => {
    const { code, out, err } = await natsmesh('call', 'hotel.booking.save', '{"guest":"","room":0,"nights":2}', ...s);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^VALIDATION_FAILED \(400\): /);
    expect(err).toMatch(/^ {2}guest: guest should not be empty$/m);
    expect(err).toMatch(/^ {2}room: room must not be less than 1$/m);
  });

  it('stats shows the requests and errors just made', async () => {
    const { code, out } = await natsmesh('stats', 'hotel.booking', ...s);
    expect(code).toBe(0);
    expect(out).toMatch(/hotel-1\s+save\s+2\s+1\s+[\d.]+\s+400:Invalid SaveBooking/);
  });

  it('emit publishes an event the subscribers get', async () => {
    const { code, out } = await natsmesh('emit', 'app.cli.info', '{"message":"hello from the cli"}', ...s);
    expect(code).toBe(0);
    expect(out.trim()).toBe('emitted on app.cli.info');
    const events = app.container.resolve(ReceivedEvents);
    for (let i = 0; i < 100 && !events.of('logging').some((e) => e.subject === 'app.cli.info'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(events.of('logging').find((e) => e.subject === 'app.cli.info')?.payload).toEqual({ message: 'hello from the cli' });
  });

  it('says what went wrong: no responders, no service, bad JSON, unknown command, no server', async () => {
    expect(await natsmesh('call', 'hotel.nothing', ...s)).toMatchObject({ code: 1, err: expect.stringMatching(/^NO_RESPONDERS \(503\)/) });
    expect(await natsmesh('info', 'hotel.nobody', ...s)).toMatchObject({ code: 1, err: expect.stringMatching(/No instance of "hotel.nobody"/) });
    expect(await natsmesh('call', 'x', '{bad', ...s)).toMatchObject({ code: 2, err: expect.stringMatching(/not valid JSON/) });
    expect(await natsmesh('frobnicate')).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown command "frobnicate"/) });
    expect(await natsmesh('ls', '--bogus', ...s)).toMatchObject({ code: 2 });
    expect(await natsmesh('ls', '--server', 'nats://127.0.0.1:1')).toMatchObject({ code: 1, err: expect.stringMatching(/^UNAVAILABLE: /) });
  });

  it('docs writes the same files from compiled code (static) and from the running mesh (--live)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'natsmesh-docs-'));
    try {
      const stat = await natsmesh('docs', '--scan', 'examples/hotel/dist/**/*.service.js', '--out', join(dir, 'static'));
      expect(stat).toMatchObject({ code: 0, out: expect.stringMatching(/^Documented 6 service\(s\) in \d+ file\(s\):/) });
      const live = await natsmesh('docs', '--live', '--out', join(dir, 'live'), ...s);
      expect(live.code).toBe(0);
      const files = readdirSync(join(dir, 'static')).sort();
      expect(files).toEqual(expect.arrayContaining(['asyncapi.json', 'index.html', 'index.md', 'hotel.booking.md', 'services.json']));
      expect(readdirSync(join(dir, 'live')).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(dir, 'live', f), 'utf8')).toBe(readFileSync(join(dir, 'static', f), 'utf8'));
      const only = await natsmesh('docs', '--live', '--format', 'asyncapi', '--out', join(dir, 'one'), ...s);
      expect(only.code).toBe(0);
      expect(readdirSync(join(dir, 'one'))).toEqual(['asyncapi.json']);
      expect(await natsmesh('docs', '--format', 'pdf', '--live', ...s)).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown format pdf/) });
      expect(await natsmesh('docs')).toMatchObject({ code: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('alerts --live writes the same rules as alerts --scan, from the SLOs the running services publish', async () => {
    const stat = await natsmesh('alerts', '--scan', 'examples/hotel/dist/**/*.service.js');
    expect(stat.code).toBe(0);
    expect(stat.out).toMatch(/natsmesh:slo_errors_per_request:ratio_rate1h\{service="hotel.booking", endpoint="save"\} > \(14.4 \* 0.001\)/);
    const live = await natsmesh('alerts', '--live', ...s);
    expect(live).toMatchObject({ code: 0, err: '' });
    expect(live.out).toBe(stat.out);
  });

  it('--json prints JSON on stdout for every command, and every error as JSON on stderr', async () => {
    const json = async (...argv: string[]) => {
      const r = await natsmesh(...argv, '--json');
      return { code: r.code, out: r.out === '' ? undefined : JSON.parse(r.out), err: r.err === '' ? undefined : JSON.parse(r.err) };
    };
    expect(await json('info', 'hotel.booking', ...s)).toMatchObject({ code: 0, out: [expect.objectContaining({ version: '1.0.0', endpoints: expect.any(Array) })] });
    expect(await json('stats', 'hotel.booking', ...s)).toMatchObject({ code: 0, out: [expect.objectContaining({ version: '1.0.0', endpoints: expect.any(Array) })] });
    expect(await json('call', 'hotel.rooms.list', ...s)).toMatchObject({ code: 0, out: expect.any(Array) });
    expect(await json('emit', 'app.cli.info', '{"message":"json"}', ...s)).toEqual({ code: 0, out: { emitted: 'app.cli.info' }, err: undefined });
    const dir = mkdtempSync(join(tmpdir(), 'natsmesh-docs-'));
    try {
      expect(await json('docs', '--scan', 'examples/hotel/dist/**/*.service.js', '--format', 'json', '--out', dir)).toEqual({
        code: 0,
        out: { services: 6, files: [expect.stringMatching(/services\.json$/)] },
        err: undefined,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await json('--version')).toMatchObject({ code: 0, out: { version: expect.any(String) } });
    expect(await json('ls', '--help')).toMatchObject({ code: 0, out: { command: 'ls', usage: expect.stringMatching(/^natsmesh ls/) } });

    expect(await json('call', 'hotel.booking.save', '{"guest":"","room":0,"nights":2}', ...s)).toEqual({
      code: 1,
      out: undefined,
      err: { error: expect.objectContaining({ code: 'VALIDATION_FAILED', status: 400, details: expect.any(Array) }) },
    });
    expect(await json('call', 'hotel.nothing', ...s)).toMatchObject({ code: 1, err: { error: { code: 'NO_RESPONDERS', status: 503 } } });
    expect(await json('info', 'hotel.nobody', ...s)).toMatchObject({ code: 1, err: { error: { code: 'NOT_FOUND', message: expect.stringMatching(/No instance of "hotel.nobody"/) } } });
    expect(await json('ls', '--server', 'nats://127.0.0.1:1')).toMatchObject({ code: 1, err: { error: { code: 'UNAVAILABLE' } } });
    expect(await json('docs', '--scan', 'nothing/*.js')).toMatchObject({ code: 1, err: { error: { code: expect.any(String), message: expect.any(String) } } });
    expect(await json('frobnicate')).toMatchObject({ code: 2, err: { error: { code: 'USAGE', message: expect.stringMatching(/Unknown command "frobnicate"/) } } });
    expect(await json('call', 'x', '{bad', ...s)).toMatchObject({ code: 2, err: { error: { code: 'USAGE', usage: expect.stringMatching(/^natsmesh call/) } } });
  });

  it('exits 2 on every usage mistake: unknown option, missing or extra argument, bad option value', async () => {
    const mistakes = [
      ['ls', '--bogus'],
      ['info'],
      ['stats'],
      ['call'],
      ['emit'],
      ['ls', 'extra'],
      ['info', 'hotel.booking', 'extra'],
      ['call', 'hotel.rooms.list', '{}', 'extra'],
      ['ls', '--timeout', 'soon'],
      ['ls', '--timeout', '0'],
      ['ls', '--timeout', '1.5'],
      ['ls', '--timeout', '99999999999'],
      ['call', 'x', '--header', 'novalue'],
      ['ls', '--server'],
      ['docs', '--live', '--format', 'pdf'],
    ];
    for (const argv of mistakes) {
      const { code, err } = await natsmesh(...argv, ...s);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(err).toMatch(/Usage: natsmesh /);
    }
  });

  it('says what docs is missing, or what conflicts, when its source is wrong', async () => {
    const none = await natsmesh('docs', ...s);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/docs needs a source: --scan .* or --live/);
    const both = await natsmesh('docs', '--live', '--scan', 'x.js', ...s);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/either --scan\/--module \(static\) or --live, not both/);
  });

  it('has --help on every command', async () => {
    const main = await natsmesh('--help');
    for (const cmd of ['ls', 'info', 'stats', 'call', 'emit', 'docs']) {
      expect(main.out).toMatch(new RegExp(`^  ${cmd}\\s`, 'm'));
      const help = await natsmesh(cmd, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^Usage: natsmesh ${cmd}`));
      expect(help.out).toMatch(/--server/);
    }
  });

  it('runs as the installed natsmesh binary with its exit code', async () => {
    const bin = join(__dirname, '../bin/natsmesh.js');
    const run = promisify(execFile);
    const ok = await run(process.execPath, [bin, 'call', 'hotel.rooms.list', ...s]);
    expect(Array.isArray(JSON.parse(ok.stdout))).toBe(true);
    await expect(run(process.execPath, [bin, 'call', 'hotel.booking.get', '{"id":"bk-none"}', ...s])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^NOT_FOUND \(404\)/),
    });
  });

  it('under plain node, says to document the compiled .js when given TypeScript sources', async () => {
    const bin = join(__dirname, '../bin/natsmesh.js');
    const run = (...argv: string[]) => promisify(execFile)(process.execPath, [bin, 'docs', ...argv, '--json', '--out', tmpdir()]);
    for (const source of [['--scan', 'examples/hotel/src/**/*.service.ts'], ['--module', 'examples/hotel/src/services.ts']]) {
      const failed = await run(...source).catch((err: { code: number; stderr: string }) => err);
      expect(failed).toMatchObject({ code: 1 });
      const { error } = JSON.parse((failed as { stderr: string }).stderr) as { error: { code: string; message: string } };
      expect(error).toMatchObject({ code: 'LOAD_FAILED', message: expect.stringMatching(/is TypeScript source, which node cannot load.*the compiled \.js/) });
    }
  });
});

const passThrough = (name: string): Middleware => ({ name, handle: (_ctx, next) => next(), event: (_ctx, next) => next() });

@Service('cli.guarded')
@Use(passThrough('AuthGuard'))
class GuardedService {
  @Handle('get', { rateLimit: { rate: 1000 } })
  @Use(passThrough('\u001b[2J<b>Audit</b>'))
  get() {
    return { ok: true };
  }

  @Handle('plain')
  plain() {
    return { ok: true };
  }

  @On('cli.guarded.>')
  @Use(passThrough('Dedupe'))
  seen() {}
}

describe('natsmesh info and the middleware around each handler', () => {
  let server: NatsServerHandle;
  let app: App;
  let s: string[];

  beforeAll(async () => {
    server = await startNatsServer();
    app = await createApp({
      services: [GuardedService],
      middleware: [passThrough('Tracing')],
      nats: { servers: server.url },
      instance: { id: 'guarded-1' },
      logger: createLogger({ level: 'silent' }),
    });
    await app.start();
    s = ['--server', server.url];
  });

  afterAll(async () => {
    await app?.stop();
    await server?.stop();
  });

  it('lists the middleware of each endpoint and subscription, outermost first, control characters escaped', async () => {
    const { code, out } = await natsmesh('info', 'cli.guarded', ...s);
    expect(code).toBe(0);
    expect(out).not.toContain('\u001b');
    expect(out).toMatch(/^get\s+cli\.guarded\.get\s+.*rateLimit → Tracing → AuthGuard → \\u001b\[2J<b>Audit<\/b>$/m);
    expect(out).toMatch(/^plain\s+cli\.guarded\.plain\s+cli\.guarded\s+-\s+Tracing → AuthGuard$/m);
    expect(out).toMatch(/^SUBSCRIPTION\s+METHOD\s+QUEUE\s+MIDDLEWARE$/m);
    expect(out).toMatch(/^cli\.guarded\.>\s+seen\s+-\s+Tracing → AuthGuard → Dedupe$/m);
  });

  it('--json carries the middleware of each endpoint in its metadata', async () => {
    const { code, out } = await natsmesh('info', 'cli.guarded', '--json', ...s);
    expect(code).toBe(0);
    const [info] = JSON.parse(out) as { endpoints: { name: string; metadata: Record<string, string> }[] }[];
    const get = info!.endpoints.find((e) => e.name === 'get')!;
    expect(JSON.parse(get.metadata['natsmesh.middleware']!)).toEqual(['rateLimit', 'Tracing', 'AuthGuard', '\u001b[2J<b>Audit</b>']);
  });
});
