import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startNatsServer } from '@natsmesh/testing';

// Whether a process ends by itself can only be seen from outside it: each case runs in a child
// that must exit on its own once app.stop() / client.close() returned; a leftover reconnect
// loop would keep it running until the generous kill timeout below.
function runChild(body: string, url: string): Promise<{ code: number | null; signal: string | null; out: string }> {
  const script = `
    require('reflect-metadata');
    const core = require(${JSON.stringify(join(__dirname, '../dist/index.js'))});
    (async () => {
      ${body}
      console.log('returned');
    })().catch((err) => { console.error(err); process.exit(3); });`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..'), env: { ...process.env, NATS_URL: url }, timeout: 20_000 }, (err, out) => {
      const e = err as (Error & { code?: number; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, out });
    });
  });
}

// The child stops the server by pid once it is connected, then waits until nats.js is reconnecting.
const LOSE_SERVER = `
  process.kill(Number(process.env.SERVER_PID), 'SIGKILL');
  await new Promise((r) => setTimeout(r, 300));`;

describe('stopping while the NATS connection is reconnecting', () => {
  it('app.stop() lets the process exit (the connection it opened is closed, not left reconnecting)', async () => {
    const server = await startNatsServer();
    process.env.SERVER_PID = String(server.pid);
    try {
      const result = await runChild(
        `
        class S { x() { return 1; } }
        core.Handle('x', { input: Object })(S.prototype, 'x', Object.getOwnPropertyDescriptor(S.prototype, 'x'));
        core.Service('swr.s')(S);
        const app = await core.createApp({ services: [S], nats: { servers: process.env.NATS_URL, reconnectTimeWait: 50 }, discovery: false, logger: false });
        await app.start();
        ${LOSE_SERVER}
        await app.stop();`,
        server.url,
      );
      expect(result).toEqual({ code: 0, signal: null, out: 'returned\n' });
    } finally {
      await server.stop();
    }
  });

  it('client.close() lets the process exit too', async () => {
    const server = await startNatsServer();
    process.env.SERVER_PID = String(server.pid);
    try {
      const result = await runChild(
        `
        const client = await core.createClient({ nats: { servers: process.env.NATS_URL, reconnectTimeWait: 50 } });
        ${LOSE_SERVER}
        await client.close();`,
        server.url,
      );
      expect(result).toEqual({ code: 0, signal: null, out: 'returned\n' });
    } finally {
      await server.stop();
    }
  });
});
