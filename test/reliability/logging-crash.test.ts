import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient, type MeshClient } from '@natsmesh/core';
import { catchMeshError, startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { sleep, until } from './support';

interface Node {
  readonly child: ChildProcess;
  readonly out: string[];
  readonly err: string[];
  readonly exited: Promise<number | null>;
}

function spawnNode(url: string, logger: 'default' | 'false'): Node {
  const env: NodeJS.ProcessEnv = { ...process.env, NATS_URL: url, LOGGER: logger };
  delete env.NATSMESH_LOG_LEVEL;
  const child = spawn(process.execPath, [join(__dirname, '../fixtures/throwing-node.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => out.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => err.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, err, exited };
}

describe('a handler that throws or logs an object with a cycle (service in its own process)', () => {
  let server: NatsServerHandle;
  let client: MeshClient;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    client = await createClient({ nats: { servers: server.url }, timeout: 3000 });
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await client?.close();
    await server?.stop();
  });

  async function exercise(node: Node): Promise<void> {
    children.push(node.child);
    await until(() => node.out.includes('ready') || node.child.exitCode !== null, 'the service process to be ready');
    expect(node.out).toContain('ready');
    const err = await catchMeshError(client.request('logcrash.svc.crash', {}));
    expect(err.code).toBe('INTERNAL');
    await expect(client.request('logcrash.svc.chatty', {})).resolves.toBe('logged');
    client.emit('logcrash.event', {});
    await client.request('logcrash.svc.ok', {}); // the event went first on the same connection
    await sleep(50);
    await expect(client.request('logcrash.svc.ok', {})).resolves.toBe('ok');
    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    expect(node.out).toContain('stopped');
  }

  it('answers INTERNAL, logs the failure with service and endpoint, and keeps running (default logger)', async () => {
    const node = spawnNode(server.url, 'default');
    await exercise(node);
    const lines = node.err.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'request failed')).toMatchObject({ service: 'logcrash.svc', endpoint: 'crash', subject: 'logcrash.svc.crash', err: { reason: 'cyclic', self: '[Circular]' } });
    expect(lines.find((l) => l.msg === 'a cyclic object')).toMatchObject({ service: 'logcrash.svc', endpoint: 'chatty', reason: 'cyclic' });
    expect(lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('event handler failed'))).toMatchObject({ service: 'logcrash.svc', handler: 'onEvent' });
  });

  it('writes nothing at all with logger: false, and keeps running', async () => {
    const node = spawnNode(server.url, 'false');
    await exercise(node);
    expect(node.err).toEqual([]);
  });
});
