import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';

const HEARTBEAT_MS = 200;
const TTL_MS = 3 * HEARTBEAT_MS;

/** A natsmesh app in a child process, with the lines it printed. */
class MeshNode {
  readonly lines: string[] = [];
  readonly child: ChildProcess;

  constructor(id: string, url: string) {
    this.child = spawn(process.execPath, [join(__dirname, '../fixtures/mesh-node.js')], {
      env: { ...process.env, NATS_URL: url, NODE_ID: id, HEARTBEAT_MS: String(HEARTBEAT_MS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.lines.push(line));
  }

  /** Resolves with the time the line appeared; fails after `timeoutMs`. */
  async saw(line: string, timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.includes(line)) {
      if (Date.now() > deadline) throw new Error(`expected "${line}", got ${JSON.stringify(this.lines)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now();
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

describe('discovery across processes', () => {
  let server: NatsServerHandle;
  const nodes: MeshNode[] = [];
  const node = (id: string) => {
    const n = new MeshNode(id, server.url);
    nodes.push(n);
    return n;
  };

  beforeAll(async () => {
    server = await startNatsServer();
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await server?.stop();
  });

  it('two apps see each other; kill -9 drops one within the TTL, a clean stop drops one at once', async () => {
    const a = node('a');
    await a.saw('ready a');
    const b = node('b');
    await b.saw('ready b');
    await a.saw('up b');
    await b.saw('up a');

    const killedAt = Date.now();
    await b.kill('SIGKILL');
    const droppedAt = await a.saw('down b expired');
    // Dropped after silence, not before, and within the TTL plus one sweep and scheduling slack.
    expect(droppedAt - killedAt).toBeGreaterThanOrEqual(TTL_MS - HEARTBEAT_MS);
    expect(droppedAt - killedAt).toBeLessThan(TTL_MS + 1000);

    const c = node('c');
    await c.saw('ready c');
    await a.saw('up c');
    await c.kill('SIGTERM');
    await a.saw('down c stopped');
    expect(a.lines.filter((l) => l.startsWith('down c'))).toEqual(['down c stopped']);
  });
});
