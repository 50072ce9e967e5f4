import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient, type MeshClient } from '@natsmesh/core';
import { startNatsServer, type NatsServerHandle } from '@natsmesh/testing';
import { codeOf, sleep, Tally, until } from './support';

const TRIALS = 5;
const WORKERS = 64;
const WORK_MS = 50;

function spawnNode(id: string, url: string): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(__dirname, '../fixtures/work-node.js')], {
    env: { ...process.env, NATS_URL: url, NODE_ID: id, WORK_MS: String(WORK_MS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

describe('graceful stop under load (SIGTERM to a service process)', () => {
  let server: NatsServerHandle;
  let client: MeshClient;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    client = await createClient({ nats: { servers: server.url }, timeout: 5000 });
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await client?.close();
    await server?.stop();
  });

  it(`answers every request the process accepted, in ${TRIALS} trials`, async () => {
    const report: Record<string, number>[] = [];
    for (let trial = 1; trial <= TRIALS; trial++) {
      const id = `w${trial}`;
      const node = spawnNode(id, server.url);
      children.push(node.child);
      await until(() => node.lines.includes('ready'), `process ${id} ready`);

      const tally = new Tally();
      let repliedAfterSigterm = 0;
      let sigtermAt = Infinity;
      let running = true;
      let n = 0;
      // Each worker keeps one request in flight until the process is gone; a request the
      // process never took gets NO_RESPONDERS, one it took must get its reply (no TIMEOUT).
      const worker = async () => {
        while (running) {
          try {
            const reply = await client.request<{ by: string }>('rel.work.run', { n: n++ });
            tally.add(reply.by === id ? 'OK' : 'WRONG_RESPONDER');
            if (Date.now() > sigtermAt) repliedAfterSigterm++;
          } catch (err) {
            tally.add(codeOf(err));
            if (codeOf(err) === 'NO_RESPONDERS') await sleep(5);
          }
        }
      };
      const workers = Array.from({ length: WORKERS }, worker);
      await sleep(300);
      sigtermAt = Date.now();
      node.child.kill('SIGTERM');
      expect(await node.exited).toBe(0);
      expect(node.lines).toContain('stopped');
      await sleep(100);
      running = false;
      await Promise.all(workers);

      report.push({ trial, ...tally.toJSON(), repliedAfterSigterm });
      expect(tally.codes().filter((c) => c !== 'OK' && c !== 'NO_RESPONDERS')).toEqual([]);
      expect(tally.get('OK')).toBeGreaterThan(WORKERS);
      // Requests in flight at SIGTERM finished and were answered during the drain.
      expect(repliedAfterSigterm).toBeGreaterThan(0);
    }
    console.log(`graceful stop: ${JSON.stringify(report)}`);
  });
});
