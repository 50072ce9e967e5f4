import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer } from './start-nats-server';

// Fake nats-server scripts: these tests cover what the helper does when a server misbehaves, without NATS.
describe('startNatsServer with a misbehaving binary', () => {
  let dir: string;
  const saved = process.env.NATS_SERVER_BIN;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'natsmesh-fake-server-'));
  });
  afterEach(() => {
    process.env.NATS_SERVER_BIN = saved;
    if (saved === undefined) delete process.env.NATS_SERVER_BIN;
    rmSync(dir, { recursive: true, force: true });
  });

  function fakeServer(script: string): string {
    const bin = join(dir, 'nats-server');
    writeFileSync(bin, `#!/bin/sh\n${script}\n`);
    chmodSync(bin, 0o755);
    return bin;
  }

  it('rejects with NATS_SERVER_NOT_FOUND when NATS_SERVER_BIN names no file', async () => {
    process.env.NATS_SERVER_BIN = join(dir, 'missing', 'nats-server');
    await expect(startNatsServer()).rejects.toMatchObject({ code: 'NATS_SERVER_NOT_FOUND', message: expect.stringContaining('NATS_SERVER_BIN') });
  });

  it('rejects with NATS_SERVER_START_FAILED and the server output when it exits at once', async () => {
    process.env.NATS_SERVER_BIN = fakeServer('echo "nats-server: config is broken" >&2; exit 1');
    await expect(startNatsServer()).rejects.toMatchObject({
      code: 'NATS_SERVER_START_FAILED',
      message: expect.stringContaining('nats-server: config is broken'),
    });
  });

  it('rejects with NATS_SERVER_START_TIMEOUT and the server output when it never gets ready, and kills it', async () => {
    const pidFile = join(dir, 'pid');
    process.env.NATS_SERVER_BIN = fakeServer(`echo $$ > ${pidFile}; echo "waiting for something" >&2; exec sleep 30`);
    const started = Date.now();
    await expect(startNatsServer({ startTimeout: 300 })).rejects.toMatchObject({
      code: 'NATS_SERVER_START_TIMEOUT',
      message: expect.stringMatching(/within 300 ms[\s\S]*waiting for something/),
    });
    expect(Date.now() - started).toBeLessThan(3000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('passes the helper flags last, so they win over the same flags in args', async () => {
    const argsFile = join(dir, 'args');
    process.env.NATS_SERVER_BIN = fakeServer(`echo "$@" > ${argsFile}; exit 1`);
    await expect(startNatsServer({ args: ['-a', '0.0.0.0', '-p', '4222'], jetstream: true })).rejects.toMatchObject({ code: 'NATS_SERVER_START_FAILED' });
    const args = readFileSync(argsFile, 'utf8').trim();
    expect(args).toMatch(/^-a 0\.0\.0\.0 -p 4222 -js -a 127\.0\.0\.1 -p -1 --ports_file_dir \S+ --store_dir \S+$/);
    // The temp dir the server would have used is gone.
    expect(existsSync(args.split('--store_dir ')[1])).toBe(false);
  });

  it('rejects a startTimeout that is not positive', async () => {
    await expect(startNatsServer({ startTimeout: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
