import 'reflect-metadata';
import { Writable } from 'node:stream';
import pino from 'pino';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { createApp, createClient, Handle, MeshError, On, Service, type App, type Context, type Logger, type MeshClient } from '@natsmesh/core';

@Service('logs.desk')
class DeskService {
  @Handle('fail')
  fail() {
    throw new Error('disk full');
  }

  @Handle('refuse')
  refuse() {
    throw new MeshError('NOT_FOUND', 'no such desk');
  }

  @Handle('note')
  note(_input: unknown, ctx: Context) {
    ctx.log.info({ note: 'hello' }, 'a note');
    return 'noted';
  }

  @On('logs.event')
  onEvent() {
    throw new Error('event broke');
  }
}

/** The top-level keys of one JSON line, in order and with repeats (JSON.parse would hide them). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && /^\s*:/.test(line.slice(j + 1))) keys.push(JSON.parse(line.slice(i, j + 1)) as string);
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

function pinoCapture(raw: string[], bindings?: Record<string, unknown>): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const root = pino({ level: 'debug' }, stream);
  return bindings === undefined ? root : root.child(bindings);
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('logging through a pino logger the app is given', () => {
  let server: NatsServerHandle;
  let app: App;
  let client: MeshClient;
  const raw: string[] = [];
  const lines = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    server = await startNatsServer();
    // The user's logger already binds instanceId and service: natsmesh must not bind them again.
    app = await createApp({ services: [DeskService], nats: { servers: server.url }, instance: 'desk-1', discovery: false, logger: pinoCapture(raw, { instanceId: 'desk-1', app: 'front' }) });
    await app.start();
    client = await createClient({ nats: { servers: server.url } });
  });

  afterAll(async () => {
    await client?.close();
    await app?.stop();
    await server?.stop();
  });

  it('logs a failed request with service, endpoint and the error', async () => {
    expect((await catchMeshError(client.request('logs.desk.fail'))).code).toBe('INTERNAL');
    await until(() => lines().some((l) => l.msg === 'request failed'), 'the failure line');
    expect(lines().find((l) => l.msg === 'request failed')).toMatchObject({
      instanceId: 'desk-1',
      app: 'front',
      service: 'logs.desk',
      endpoint: 'fail',
      subject: 'logs.desk.fail',
      err: { message: 'disk full' },
    });
  });

  it('logs a failed event with service and handler', async () => {
    client.emit('logs.event', {});
    await until(() => lines().some((l) => String(l.msg).startsWith('event handler failed')), 'the event failure line');
    expect(lines().find((l) => String(l.msg).startsWith('event handler failed'))).toMatchObject({ service: 'logs.desk', handler: 'onEvent', err: { message: 'event broke' } });
  });

  it('gives handlers a ctx.log bound to service, endpoint and subject', async () => {
    await expect(client.request('logs.desk.note')).resolves.toBe('noted');
    expect(lines().find((l) => l.msg === 'a note')).toMatchObject({ instanceId: 'desk-1', service: 'logs.desk', endpoint: 'note', subject: 'logs.desk.note', note: 'hello' });
  });

  it('writes no line with a key twice', async () => {
    await expect(client.request('logs.desk.refuse')).rejects.toThrow('no such desk');
    expect(raw.length).toBeGreaterThan(3);
    for (const line of raw) {
      const keys = topLevelKeys(line);
      expect({ line, duplicates: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({ line, duplicates: [] });
    }
  });
});

describe('the logger option', () => {
  const services = [DeskService];

  it('accepts false (the subprocess test in test/reliability checks that nothing is written)', async () => {
    await expect(createApp({ services, logger: false })).resolves.toBeDefined();
  });

  it.each([
    ['console', console],
    ['an object without child', { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} }],
    ['a string', 'info'],
    ['true', true],
  ])('refuses %s with INVALID_OPTIONS naming the option and what it accepts', async (_what, logger) => {
    const err = await catchMeshError(createApp({ services, logger: logger as unknown as Logger }));
    expect(err.code).toBe('INVALID_OPTIONS');
    expect(err.message).toMatch(/createApp option logger/);
    expect(err.message).toMatch(/pino/);
    expect(err.message).toMatch(/false/);
  });
});
